import { enqueue } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger, runOnce } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { listFailedJobs, retryJob } from "../src/jobs-cli.ts";
import { createTaskList } from "../src/index.ts";

describe("pnpm jobs failed / retry", () => {
  const services = useTestServices();
  const drain = () =>
    runOnce({
      connectionString: services.url,
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db } }),
    });

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
});
