import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { enqueue } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { runJobsOnce } from "./worker-pool.ts";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { summarizeJobError } from "../src/job-errors.ts";
import { formatFailedJobs, listFailedJobs, retryJob } from "../src/jobs-cli.ts";
import { createTaskList } from "../src/index.ts";

const cli = fileURLToPath(new URL("../src/jobs-cli.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

describe("pnpm jobs failed / retry", () => {
  const services = useTestServices();
  const drain = () =>
    runJobsOnce({
      connectionString: services.url,
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db } }),
    });
  const jobs = (...args: string[]) =>
    new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(tsx, [cli, ...args], { env: { ...process.env, DATABASE_URL: services.url } }, (error, stdout) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      ),
    );

  it("lists a failed job with its error and backoff, and retries it on demand", async () => {
    // A malformed payload fails the task's zod parse.
    await enqueue(services.db, "rankings/leaderboard", { gameId: -1 }, { maxAttempts: 3 });
    await drain();
    const [failed] = await listFailedJobs(services.url);
    expect(failed).toMatchObject({ task: "rankings/leaderboard", attempts: 1, maxAttempts: 3, state: "retrying" });
    expect(new Date(failed!.runAt).getTime()).toBeGreaterThan(Date.now()); // exponential backoff: later
    expect(await retryJob(services.url, failed!.id)).toBe(true);
    const [again] = await listFailedJobs(services.url);
    expect(again).toMatchObject({ id: failed!.id, attempts: 0 });
    expect(new Date(again!.runAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await retryJob(services.url, "999999")).toBe(false);
  });

  it("shows a payload that failed its schema as one readable line, not zod's JSON (was: `[`)", async () => {
    await sql`delete from graphile_worker._private_jobs`.execute(services.db);
    await enqueue(services.db, "rankings/leaderboard", { gameId: -1 }, { maxAttempts: 1 });
    await drain();
    const [dead] = await listFailedJobs(services.url);
    expect(dead).toMatchObject({ state: "dead", attempts: 1, maxAttempts: 1 });
    expect(dead!.lastError).toMatch(/^invalid payload: gameId: .+/);
    expect(dead!.lastError).not.toContain("\n");

    const printed = await jobs("failed");
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+TASK\s+STATE\s+ATTEMPTS\s+NEXT RUN\s+LAST ERROR$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${dead!.id}\\s+rankings/leaderboard\\s+dead\\s+1/1\\s+-\\s+invalid payload: gameId: `),
    );
    expect(lines.at(-1)).toBe("1 failed job(s); retry one with: pnpm jobs retry <id>");
    expect(formatFailedJobs([])).toBe("no failed jobs\n");
  });

  it("reads errors stored before, as zod's JSON dump, the same way", () => {
    const legacy = JSON.stringify(
      [{ code: "too_small", path: ["gameId"], message: "Too small: expected >0" }],
      null,
      2,
    );
    expect(summarizeJobError(legacy)).toBe("invalid payload: gameId: Too small: expected >0");
    expect(summarizeJobError("connect ECONNREFUSED\n    at TCP.onStreamRead")).toBe(
      "connect ECONNREFUSED at TCP.onStreamRead",
    );
    expect(summarizeJobError("x".repeat(500))).toHaveLength(200);
  });
});
