/**
 * `invites/expire`: pending invites past expires_at become 'expired', one batch per job (a full
 * batch enqueues the next), ≤ 3 queries per job, safe to run twice; scheduled hourly by crontab.ts.
 */
import { Cache, defaultDomainConfig, demoGames, identity, invites, resolveSession, teams } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger, parseCrontab } from "graphile-worker";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createTaskList, crontab, JOB_ITEM_BUDGET, tasks, type JobReport } from "../src/index.ts";
import { runJobsOnce, workerPool } from "./worker-pool.ts";

describe("invites/expire", () => {
  const services = useTestServices();
  const deps = () => ({ db: services.db, cache: new Cache({}), config: { ...defaultDomainConfig, scryptCost: 1024 } });
  const inviteIds: number[] = [];

  async function signUp(username: string) {
    const { token } = await identity.signUp(deps(), { username, email: `${username}@x.dc`, password: "long-enough" });
    return (await resolveSession(services.db, token, 30))!;
  }

  async function drain() {
    const reports: JobReport[] = [];
    await runJobsOnce({
      pgPool: workerPool(services.pool),
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db }, onJob: (r) => reports.push(r) }),
    });
    return reports.filter((r) => r.task === "invites/expire");
  }

  const statuses = async () =>
    Object.fromEntries(
      (await services.db.selectFrom("team_invites").select(["id", "status"]).orderBy("id").execute()).map((r) => [
        r.id,
        r.status,
      ]),
    );

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const owner = await signUp("expowner");
    const team = await teams.createTeam(deps(), owner, { name: "Expiry Crew", gameSlug: "valorant" });
    for (let i = 0; i < 7; i++) {
      await signUp(`expguest${i}`);
      const invite = await invites.inviteMember(deps(), owner, {
        teamSlug: team.slug,
        username: `expguest${i}`,
        role: "player",
      });
      inviteIds.push(invite.id);
    }
    // Five past their expiry; #5 still valid; #6 expired long ago but already accepted.
    await services.db
      .updateTable("team_invites")
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where("id", "in", [...inviteIds.slice(0, 5), inviteIds[6]!])
      .execute();
    await services.db.updateTable("team_invites").set({ status: "accepted" }).where("id", "=", inviteIds[6]!).execute();
    await drain(); // the set-up's own jobs (audit, notifications) out of the way
  });

  it("expires every pending invite past its date, in batches, within the per-item budget", async () => {
    await sql`select graphile_worker.add_job('invites/expire', '{"batchSize": 2}'::json)`.execute(services.db);
    const runs = await drain();
    expect(runs.map((r) => r.ok)).toEqual([true, true, true]); // 2 + 2 + 1
    for (const run of runs) expect(run.ledger.count).toBeLessThanOrEqual(JOB_ITEM_BUDGET);
    const after = await statuses();
    for (const id of inviteIds.slice(0, 5)) expect(after[id]).toBe("expired");
    expect(after[inviteIds[5]!]).toBe("pending");
    expect(after[inviteIds[6]!]).toBe("accepted");
  });

  it("is safe to run twice: a second sweep changes nothing in one query", async () => {
    const before = await statuses();
    await sql`select graphile_worker.add_job('invites/expire', '{}'::json)`.execute(services.db);
    const runs = await drain();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.ok).toBe(true);
    expect(runs[0]!.ledger.count).toBe(1);
    expect(await statuses()).toEqual(before);
  });

  it("runs hourly from the crontab under a stable identifier", () => {
    const items = parseCrontab(crontab);
    const expire = items.find((i) => i.identifier === "invites-expire-hourly");
    expect(expire).toMatchObject({ task: "invites/expire", match: expect.any(Function) });
    // Every task the crontab names exists; ids are unique.
    for (const item of items) expect(Object.keys(tasks)).toContain(item.task);
    expect(new Set(items.map((i) => i.identifier)).size).toBe(items.length);
    // Fires once an hour: at minute 7 of 10:00 and 11:00, not at 10:08.
    const at = (h: number, m: number) => {
      const d = new Date(Date.UTC(2026, 0, 1, h, m));
      return {
        min: d.getUTCMinutes(),
        hour: d.getUTCHours(),
        date: d.getUTCDate(),
        month: d.getUTCMonth() + 1,
        dow: d.getUTCDay(),
      };
    };
    expect(expire!.match(at(10, 7))).toBe(true);
    expect(expire!.match(at(11, 7))).toBe(true);
    expect(expire!.match(at(10, 8))).toBe(false);
  });
});
