import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, LOG_LINE_FIELDS } from "../src/logger.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe("the one log format", () => {
  it("writes one JSON object per line with the level as a word, ISO time and the service", () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: "test-svc", level: "debug", destination: stream });
    log.child({ requestId: "r-1" }).debug({ path: "teams.bySlug", queries: 1 }, "procedure");
    log.error({ err: new TypeError("boom") }, "failed");
    log.trace("not written at debug");
    expect(lines).toHaveLength(2);
    for (const line of lines) for (const field of LOG_LINE_FIELDS) expect(line).toHaveProperty(field);
    expect(lines[0]).toMatchObject({
      level: "debug",
      service: "test-svc",
      msg: "procedure",
      requestId: "r-1",
      queries: 1,
    });
    expect(new Date(lines[0]!.time as string).toISOString()).toBe(lines[0]!.time);
    expect(lines[1]).toMatchObject({ level: "error", err: { type: "TypeError", message: "boom" } });
    expect((lines[1]!.err as { stack: string }).stack).toContain("TypeError: boom");
  });
});
