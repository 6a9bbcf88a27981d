/**
 * The API's logs: one JSON format (ops-kit), one line per request carrying its request id, the
 * caller's x-request-id kept when well formed, the id echoed in every response and in the error
 * data of an internal error, and at debug one line per procedure call with its path and query
 * count.
 */
import { Writable } from "node:stream";
import type { ErrorData } from "@deltacrown/api";
import { demoGames } from "@deltacrown/domain";
import { createLogger, LOG_LINE_FIELDS } from "@deltacrown/ops-kit";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

type Line = Record<string, unknown>;

describe("request logs and request ids", () => {
  const services = useTestServices();
  const lines: Line[] = [];
  let platform: Platform;
  let token: string;

  const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${platform.url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString("utf8").split("\n")) if (text) lines.push(JSON.parse(text) as Line);
        done();
      },
    });
    platform = await startTestPlatform(services, {
      logger: createLogger({ service: "api", level: "debug", destination }),
    });
    const signUp = await post("identity.signUp", {
      username: "logged",
      email: "logged@dc.gg",
      password: "long-enough-pw",
    });
    token = ((await signUp.json()) as { result: { data: { token: string } } }).result.data.token;
  });
  afterAll(async () => {
    await platform?.close();
  });

  it("keeps the caller's x-request-id, echoes it, and tags the request line and each procedure line with it", async () => {
    const response = await fetch(`${platform.url}/trpc/games.list,teams.mine?batch=1&input=%7B%7D`, {
      headers: { "x-request-id": "edge-42.a:b", authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("edge-42.a:b");
    const mine = await waitFor(() => {
      const found = linesOf("edge-42.a:b");
      return found.some((l) => l.msg === "request") ? found : undefined;
    });
    expect(mine.find((l) => l.msg === "request")).toMatchObject({
      level: "info",
      service: "api",
      method: "GET",
      path: "/trpc/games.list,teams.mine",
      statusCode: 200,
    });
    const calls = mine.filter((l) => l.msg === "procedure");
    expect(calls.map((c) => c.path).sort()).toEqual(["games.list", "teams.mine"]);
    for (const call of calls) expect(call).toMatchObject({ level: "debug", queries: expect.any(Number), ok: true });
    // teams.mine: the session lookup and the user's teams (a cache miss).
    expect(calls.find((c) => c.path === "teams.mine")!.queries).toBe(2);
    // The query string (tRPC inputs) never reaches the log.
    expect(JSON.stringify(mine)).not.toContain("input=");
  });

  it("makes up an id when the caller sent none or a malformed one", async () => {
    const none = await fetch(`${platform.url}/health`);
    const generated = none.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await fetch(`${platform.url}/health`, { headers: { "x-request-id": "spaces are <not> ok" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => linesOf(generated!).length > 0);
    expect(JSON.stringify(lines)).not.toContain("spaces are");
  });

  it("puts the request id in an internal error's data and on the error's log line", async () => {
    // A failure no code anticipated: inserting a team raises inside Postgres.
    await sql`create function ops_test_fail() returns trigger language plpgsql
              as $$ begin raise exception 'simulated failure in teams'; end $$`.execute(services.db);
    await sql`create trigger ops_test_fail before insert on teams for each row execute function ops_test_fail()`.execute(
      services.db,
    );
    try {
      const response = await post(
        "teams.create",
        { name: "Doomed", gameSlug: "valorant" },
        { authorization: `Bearer ${token}` },
      );
      expect(response.status).toBe(500);
      const requestId = response.headers.get("x-request-id");
      const body = (await response.json()) as { error: { message: string; data: ErrorData } };
      expect(body.error.message).toBe("Internal server error");
      expect(body.error.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId });
      expect(JSON.stringify(body)).not.toContain("simulated failure");

      const failed = await waitFor(() => linesOf(requestId!).find((l) => l.msg === "procedure failed"));
      expect(failed).toMatchObject({ level: "error", path: "teams.create" });
      expect((failed.err as { message: string }).message).toContain("simulated failure in teams");

      // A client mistake carries the id too (data.requestId), without an error line.
      const missing = await fetch(
        `${platform.url}/trpc/teams.bySlug?input=${encodeURIComponent('{"slug":"no-such-team"}')}`,
      );
      expect(missing.status).toBe(404);
      const missingBody = (await missing.json()) as { error: { data: ErrorData } };
      expect(missingBody.error.data.requestId).toBe(missing.headers.get("x-request-id"));
    } finally {
      await sql`drop trigger ops_test_fail on teams`.execute(services.db);
      await sql`drop function ops_test_fail()`.execute(services.db);
    }
  });

  it("writes every line in the one format", () => {
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      for (const field of LOG_LINE_FIELDS) expect(line, JSON.stringify(line)).toHaveProperty(field);
      expect(line.service).toBe("api");
      expect(typeof line.level).toBe("string");
    }
  });
});
