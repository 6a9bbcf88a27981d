import { parseArgs } from "node:util";

/** A flag of a command. `number` is parsed from the string and must be finite (and ≥ `min`). */
export type OptionSpec =
  | { type: "boolean"; description: string; short?: string }
  | { type: "string"; description: string; placeholder?: string; default?: string; short?: string }
  | { type: "number"; description: string; placeholder?: string; default?: number; min?: number; integer?: boolean };

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** As the operator types it: "pnpm migrate". */
  name: string;
  /** What it does, one sentence. */
  summary: string;
  /** Usage lines after the name, e.g. ["staff grant <username>"]; default "[options]". */
  usage?: readonly string[];
  options?: O;
  /** How many positional arguments it takes (default none). */
  positionals?: { min?: number; max: number };
  /** Environment variables it reads, name → meaning. */
  env?: Readonly<Record<string, string>>;
  /** Exit codes, code → meaning (0, 1, 2 are documented by default). */
  exitCodes?: Readonly<Record<number, string>>;
  /** Free text after the option list. */
  details?: string;
}

type ValueOf<S extends OptionSpec> = S extends { type: "boolean" }
  ? boolean
  : S extends { type: "number"; default: number }
    ? number
    : S extends { type: "number" }
      ? number | undefined
      : S extends { type: "string"; default: string }
        ? string
        : string | undefined;

export type CommandValues<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> };

export interface ParsedCommand<O extends Record<string, OptionSpec>> {
  values: CommandValues<O>;
  positionals: string[];
}

export type ParseOutcome<O extends Record<string, OptionSpec>> =
  ({ kind: "run" } & ParsedCommand<O>) | { kind: "help"; text: string } | { kind: "usage-error"; message: string };

const DEFAULT_EXIT_CODES: Record<number, string> = {
  0: "success",
  1: "the command ran and failed (see its output)",
  2: "bad usage or configuration: nothing was done",
};

/** The --help text of a command. */
export function helpText(spec: CommandSpec): string {
  const lines = [`${spec.name} — ${spec.summary}`, "", "Usage:"];
  for (const u of spec.usage ?? ["[options]"]) lines.push(`  ${spec.name} ${u}`);
  const options: [string, string][] = Object.entries(spec.options ?? {}).map(([name, o]) => {
    const short = "short" in o && o.short ? `-${o.short}, ` : "";
    const value = o.type === "boolean" ? "" : ` <${o.placeholder ?? o.type}>`;
    const dflt = "default" in o && o.default !== undefined ? ` (default ${String(o.default)})` : "";
    return [`${short}--${name}${value}`, `${o.description}${dflt}`];
  });
  options.push(["-h, --help", "print this help and exit (does nothing else)"]);
  lines.push("", "Options:", ...columns(options));
  if (spec.env && Object.keys(spec.env).length > 0)
    lines.push("", "Environment:", ...columns(Object.entries(spec.env)));
  const codes = { ...DEFAULT_EXIT_CODES, ...spec.exitCodes };
  lines.push("", "Exit codes:", ...columns(Object.entries(codes).map(([c, m]) => [c, m])));
  if (spec.details) lines.push("", spec.details.trimEnd());
  return `${lines.join("\n")}\n`;
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/**
 * Parses argv against the spec without side effects: `--help` anywhere wins; an unknown flag, a
 * missing or malformed value, or a wrong number of positionals is a usage error.
 */
export function tryParseCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): ParseOutcome<O> {
  if (argv.includes("--help") || argv.includes("-h")) return { kind: "help", text: helpText(spec) };
  const specs = Object.entries<OptionSpec>(spec.options ?? {});
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of specs) {
    options[name] = { type: o.type === "boolean" ? "boolean" : "string" };
    if ("short" in o && o.short) options[name].short = o.short;
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    // node's wording for an unknown flag runs on about quoting positionals; say just what is wrong.
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message);
    return { kind: "usage-error", message: unknown ? `unknown option ${unknown[1]}` : (error as Error).message };
  }
  const values: Record<string, unknown> = {};
  for (const [name, o] of specs) {
    const raw = parsed.values[name];
    if (o.type === "boolean") values[name] = raw === true;
    else if (o.type === "string") values[name] = raw ?? o.default;
    else if (raw === undefined) values[name] = o.default;
    else {
      const n = Number(raw);
      if (raw === "" || !Number.isFinite(n))
        return { kind: "usage-error", message: `--${name} must be a number, not "${String(raw)}"` };
      if (o.integer && !Number.isInteger(n))
        return { kind: "usage-error", message: `--${name} must be a whole number` };
      if (o.min !== undefined && n < o.min)
        return { kind: "usage-error", message: `--${name} must be at least ${o.min}` };
      values[name] = n;
    }
  }
  const { min = 0, max } = spec.positionals ?? { max: 0 };
  const count = parsed.positionals.length;
  if (count > max)
    return {
      kind: "usage-error",
      message: `unexpected argument${count - max > 1 ? "s" : ""}: ${parsed.positionals.slice(max).join(" ")}`,
    };
  if (count < min) return { kind: "usage-error", message: "missing argument" };
  return { kind: "run", values: values as CommandValues<O>, positionals: parsed.positionals };
}

/** Writes a usage error the one way every command does, and exits 2. */
export function exitWithUsage(spec: Pick<CommandSpec, "name">, message: string): never {
  process.stderr.write(`${spec.name}: ${message}\nRun '${spec.name} --help' for usage.\n`);
  process.exit(2);
}

/**
 * The argument parser of every DeltaCrown command: call it first, before anything with a side
 * effect. `--help` prints the help and exits 0; a usage error is reported on stderr with exit 2.
 */
export function parseCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): ParsedCommand<O> {
  const outcome = tryParseCommand(spec, argv);
  if (outcome.kind === "help") {
    process.stdout.write(outcome.text);
    process.exit(0);
  }
  if (outcome.kind === "usage-error") exitWithUsage(spec, outcome.message);
  return outcome;
}
