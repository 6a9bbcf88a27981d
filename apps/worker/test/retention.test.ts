/**
 * Retention: expired sessions and wallet idempotency keys past their window were never purged.
 * The crontab now runs `retention/sessions` and `retention/idempotency-keys` hourly: one indexed
 * DELETE batch per job, a full batch enqueues the next, each job within the per-item budget; live
 * sessions and keys inside the window stay.
 */
import { IDEMPOTENCY_RETENTION_HOURS } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger, parseCrontab } from "graphile-worker";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createTaskList, crontab, JOB_ITEM_BUDGET, type JobReport } from "../src/index.ts";
import { runJobsOnce, workerPool } from "./worker-pool.ts";

describe("retention jobs", () => {
  const services = useTestServices();

  async function drain(task: string) {
    const reports: JobReport[] = [];
    await runJobsOnce({
      pgPool: workerPool(services.pool),
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db }, onJob: (r) => reports.push(r) }),
    });
    return reports.filter((r) => r.task === task);
  }

  async function user(name: string) {
    const { rows } = await sql<{ id: number }>`insert into users (username, email, display_name, password_hash)
      values (${name}, ${`${name}@x.dc`}, ${name}, 'x') returning id`.execute(services.db);
    return rows[0]!.id;
  }

  it("are scheduled in the crontab", () => {
    const tasks = parseCrontab(crontab).map((i) => i.task);
    expect(tasks).toContain("retention/sessions");
    expect(tasks).toContain("retention/idempotency-keys");
  });

  it("purges expired sessions in batches within the job budget, keeping live ones", async () => {
    const uid = await user("sessionholder");
    await sql`insert into sessions (user_id, token_hash, expires_at)
      select ${uid}, convert_to('expired-' || g, 'UTF8'), now() - make_interval(hours => g) from generate_series(1, 7) g`.execute(
      services.db,
    );
    await sql`insert into sessions (user_id, token_hash, expires_at)
      select ${uid}, convert_to('live-' || g, 'UTF8'), now() + interval '1 day' from generate_series(1, 2) g`.execute(
      services.db,
    );
    await sql`select graphile_worker.add_job('retention/sessions', '{"batchSize":3}'::json)`.execute(services.db);
    const reports = await drain("retention/sessions");
    // 7 expired in batches of 3: 3 + 3 + 1, one job each.
    expect(reports).toHaveLength(3);
    for (const r of reports) {
      expect(r.ok).toBe(true);
      expect(r.ledger.count).toBeLessThanOrEqual(JOB_ITEM_BUDGET);
    }
    const left = await sql<{
      t: string;
    }>`select convert_from(token_hash, 'UTF8') as t from sessions order by 1`.execute(services.db);
    expect(left.rows.map((s) => s.t)).toEqual(["live-1", "live-2"]);
    // Nothing left to do: a rerun deletes nothing and stops.
    await sql`select graphile_worker.add_job('retention/sessions', '{"batchSize":3}'::json)`.execute(services.db);
    expect(await drain("retention/sessions")).toHaveLength(1);
    expect(await services.db.selectFrom("sessions").select("id").execute()).toHaveLength(2);
  });

  it("purges idempotency keys past their retention window, keeping recent ones", async () => {
    const uid = await user("keyholder");
    await sql`insert into wallet_idempotency_keys (user_id, key, request_hash, status, locked_until, created_at)
      select ${uid}, 'old-' || g, 'h', 'completed', now(),
             now() - make_interval(hours => ${IDEMPOTENCY_RETENTION_HOURS} + g) from generate_series(1, 5) g`.execute(
      services.db,
    );
    await sql`insert into wallet_idempotency_keys (user_id, key, request_hash, status, locked_until, created_at)
      values (${uid}, 'recent', 'h', 'completed', now(), now() - interval '1 hour')`.execute(services.db);
    await sql`select graphile_worker.add_job('retention/idempotency-keys', '{"batchSize":2}'::json)`.execute(
      services.db,
    );
    const reports = await drain("retention/idempotency-keys");
    expect(reports).toHaveLength(3);
    for (const r of reports) expect(r.ledger.count).toBeLessThanOrEqual(JOB_ITEM_BUDGET);
    const left = await services.db.selectFrom("wallet_idempotency_keys").select("key").execute();
    expect(left.map((k) => k.key)).toEqual(["recent"]);
  });
});
