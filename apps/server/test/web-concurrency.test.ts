/**
 * WEB_CONCURRENCY (src/processes.ts): the production entry as several processes on one port
 * (node:cluster), each a whole API; SIGTERM to the primary stops them all after their requests,
 * exit 0. /metrics answers for all processes, whichever takes the scrape. More than one process
 * without Redis is refused (their memory caches would diverge).
 */
import { findFreePort } from "@deltacrown/db/embedded";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { beforeAll, describe, expect, it } from "vitest";
import { startProcess } from "./processes.support.ts";

installOpenHandleCheck();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("WEB_CONCURRENCY: several API processes on one port", () => {
  const services = useTestServices();
  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
  });
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: services.url,
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    SCRYPT_COST: "1024",
    DB_POOL_MAX: "2",
    WORKER_STALE_AFTER_MS: "0",
    NO_COLOR: "1",
    ...extra,
  });

  it("two processes serve one port; SIGTERM stops both, exit 0", async () => {
    const port = await findFreePort();
    const api = startProcess(
      "apps/server/src/main.ts",
      env({ REDIS_URL: services.redisUrl, PORT: String(port), WEB_CONCURRENCY: "2" }),
      { singleProcess: true },
    );
    const listening = () => api.lines.filter((l) => l.msg === "DeltaCrown API listening");
    await waitFor(
      () => {
        if (api.child.exitCode !== null) throw new Error(`exited: ${api.stderr()}`);
        return listening().length === 2;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const pids = listening().map((l) => Number(l.pid));
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(api.child.pid);
    expect(listening().map((l) => l.url)).toEqual([`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`]);
    // The primary hands new connections round robin to the processes (each request its own connection).
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/trpc/games.bySlug?input=%7B%22slug%22%3A%22valorant%22%7D`, {
        headers: { connection: "close" },
      });
      expect(res.status).toBe(200);
    }
    // Each scrape lands on either process and counts all six calls (each process served three):
    // the primary gathers every process's registry.
    const bySlugCalls = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: "close" } });
      expect(res.status).toBe(200);
      const text = await res.text();
      return [...text.matchAll(/^dc_procedure_duration_seconds_count\{[^}]*path="games\.bySlug"[^}]*\} (\d+)/gm)]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
    };
    for (let i = 0; i < 4; i++) expect(await bySlugCalls()).toBe(6);
    expect(await api.stop()).toBe(0);
    expect(api.lines.filter((l) => l.msg === "API stopped")).toHaveLength(2);
    expect(pids.filter(alive)).toEqual([]);
    // Two processes start (and tsx compiles) in parallel: slow on a loaded 2-core machine.
  }, 240_000);

  it("more than one process without REDIS_URL: refused at start, exit 2", async () => {
    const noRedis = env({ PORT: "0", WEB_CONCURRENCY: "2" });
    delete noRedis.REDIS_URL;
    const api = startProcess("apps/server/src/main.ts", noRedis, { singleProcess: true });
    expect(await api.exited).toBe(2);
    expect(api.stderr()).toContain("WEB_CONCURRENCY: more than one process needs REDIS_URL");
  }, 120_000);
});
