import { describe, expect, it } from "vitest";
import { helpText, tryParseCommand, type CommandSpec } from "../src/cli.ts";

const spec = {
  name: "pnpm demo",
  summary: "does a demo thing",
  usage: ["[options] <target>"],
  options: {
    fresh: { type: "boolean", description: "start from scratch" },
    teams: { type: "number", description: "dataset size", default: 100, min: 1, integer: true },
    out: { type: "string", description: "where to write", placeholder: "file" },
  },
  positionals: { min: 1, max: 1 },
  env: { DATABASE_URL: "the database" },
} satisfies CommandSpec;

describe("the shared command parser", () => {
  it("parses flags, numbers, defaults and positionals", () => {
    expect(tryParseCommand(spec, ["--fresh", "--teams", "20", "db1"])).toEqual({
      kind: "run",
      values: { fresh: true, teams: 20, out: undefined },
      positionals: ["db1"],
    });
    expect(tryParseCommand(spec, ["--out=x.json", "db1"])).toMatchObject({
      values: { fresh: false, teams: 100, out: "x.json" },
    });
  });

  it("answers --help (anywhere) with the help text, whatever else is wrong", () => {
    const outcome = tryParseCommand(spec, ["--bogus", "--help"]);
    expect(outcome.kind).toBe("help");
    const text = (outcome as { text: string }).text;
    expect(text).toContain("pnpm demo — does a demo thing");
    expect(text).toContain("pnpm demo [options] <target>");
    expect(text).toMatch(/--teams <number>\s+dataset size \(default 100\)/);
    expect(text).toMatch(/--out <file>/);
    expect(text).toMatch(/DATABASE_URL\s+the database/);
    expect(text).toMatch(/2\s+bad usage/);
    expect(tryParseCommand(spec, ["-h"]).kind).toBe("help");
  });

  it("refuses unknown flags, bad numbers and wrong argument counts", () => {
    expect(tryParseCommand(spec, ["--frsh", "db1"])).toEqual({ kind: "usage-error", message: "unknown option --frsh" });
    expect(tryParseCommand(spec, ["-x", "db1"])).toEqual({ kind: "usage-error", message: "unknown option -x" });
    expect(tryParseCommand(spec, ["--teams", "many", "db1"])).toEqual({
      kind: "usage-error",
      message: '--teams must be a number, not "many"',
    });
    expect(tryParseCommand(spec, ["--teams", "0", "db1"])).toMatchObject({ message: "--teams must be at least 1" });
    expect(tryParseCommand(spec, ["--teams", "1.5", "db1"])).toMatchObject({
      message: "--teams must be a whole number",
    });
    expect(tryParseCommand(spec, ["--fresh=yes", "db1"]).kind).toBe("usage-error");
    expect(tryParseCommand(spec, [])).toEqual({ kind: "usage-error", message: "missing argument" });
    expect(tryParseCommand(spec, ["a", "b"])).toEqual({ kind: "usage-error", message: "unexpected argument: b" });
  });

  it("takes no positionals unless the spec says so", () => {
    const bare = { name: "pnpm bare", summary: "x" } satisfies CommandSpec;
    expect(tryParseCommand(bare, [])).toEqual({ kind: "run", values: {}, positionals: [] });
    expect(tryParseCommand(bare, ["now"])).toMatchObject({ kind: "usage-error" });
    expect(helpText(bare)).toContain("pnpm bare [options]");
  });
});
