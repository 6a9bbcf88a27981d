import { audit, enqueue, jobPayloads } from "@deltacrown/domain";
import { LEGACY_IMPORT_TASK } from "@deltacrown/legacy-import";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { runJobsOnce } from "./worker-pool.ts";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTaskList, JOB_ITEM_BUDGET, tasks, type JobReport } from "../src/index.ts";
import { auditWrite } from "../src/tasks/audit/write.ts";

describe("audit/write", () => {
  const services = useTestServices();

  async function drain(reports: JobReport[]) {
    await runJobsOnce({
      connectionString: services.url,
      // The malformed-payload case fails on purpose; keep its error out of the test output.
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db }, onJob: (r) => reports.push(r) }),
    });
  }

  it("writes the audit row enqueued in the same transaction, within the per-item budget", async () => {
    const user = await services.db
      .insertInto("users")
      .values({ username: "auditor", email: "a@x.dc", display_name: "A", password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await services.db.transaction().execute((trx) =>
      enqueue(trx, "audit/write", {
        actorId: user.id,
        action: "team.created",
        entityType: "team",
        entityId: "42",
        data: { slug: "x" },
      }),
    );
    const reports: JobReport[] = [];
    await drain(reports);
    const rows = await services.db.selectFrom("audit_log").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: user.id,
      action: "team.created",
      entity_type: "team",
      entity_id: "42",
      data: { slug: "x" },
    });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.ok).toBe(true);
    expect(reports[0]!.ledger.count).toBeLessThanOrEqual(JOB_ITEM_BUDGET);
  });

  it("does not run a job whose transaction rolled back", async () => {
    await services.db
      .transaction()
      .execute(async (trx) => {
        await enqueue(trx, "audit/write", { actorId: null, action: "never", entityType: "x", entityId: "1" });
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await drain([]);
    expect(await services.db.selectFrom("audit_log").select("id").where("action", "=", "never").execute()).toEqual([]);
  });

  it("fails a job with a malformed payload instead of writing garbage", async () => {
    await sql`select graphile_worker.add_job('audit/write', '{"action": 7}'::json, max_attempts => 1)`.execute(
      services.db,
    );
    const reports: JobReport[] = [];
    await drain(reports);
    expect(reports.at(-1)!.ok).toBe(false);
    const { rows } = await sql<{
      last_error: string;
    }>`select last_error from graphile_worker.jobs where task_identifier = 'audit/write'`.execute(services.db);
    expect(rows[0]!.last_error).toMatch(/actorId|entityType|expected/);
  });

  it("is safe to run twice: the same job run again writes no second row (issue 12)", async () => {
    // The same job twice, as at-least-once delivery produces it: a worker that wrote the row and
    // died before marking the job done leaves it to run again, with the same payload and job id.
    await services.db
      .transaction()
      .execute((trx) => audit(trx, { actorId: null, action: "twice.keyed", entityType: "t", entityId: "1", data: {} }));
    const { rows: jobs } = await sql<{ id: string; payload: unknown }>`
      select j.id::text as id, j.payload from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id
       where t.identifier = 'audit/write' and j.payload->>'action' = 'twice.keyed'`.execute(services.db);
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.payload).toMatchObject({ key: expect.any(String) });
    // The job as the worker runs it, once by graphile-worker, once more by hand with the same payload.
    await drain([]);
    await auditWrite(job.payload, { db: services.db }, { id: job.id });
    // An entry enqueued before keys existed: the job id is its key, stable across retries.
    const keyless = { actorId: null, action: "twice.keyless", entityType: "t", entityId: "2", data: {} };
    await auditWrite(keyless, { db: services.db }, { id: "999001" });
    await auditWrite(keyless, { db: services.db }, { id: "999001" });
    const rows = await services.db
      .selectFrom("audit_log")
      .select(["action", "dedup_key"])
      .where("action", "like", "twice.%")
      .orderBy("action")
      .execute();
    expect(rows).toEqual([
      { action: "twice.keyed", dedup_key: (job.payload as { key: string }).key },
      { action: "twice.keyless", dedup_key: "job:999001" },
    ]);
  });

  it("has a task for every job the domain can enqueue, and for the legacy import's batches", () => {
    expect(Object.keys(tasks).sort()).toEqual([...Object.keys(jobPayloads), LEGACY_IMPORT_TASK].sort());
  });
});
