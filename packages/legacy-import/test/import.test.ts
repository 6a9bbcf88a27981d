/**
 * `pnpm import:legacy` against the old site's sample dump (500 users, 250 teams, …): a real child
 * process is killed with SIGKILL inside a batch (held there by LEGACY_IMPORT_PAUSE_AT, before its
 * commit), the import is resumed, and the reconciliation must account for every legacy row, show
 * every kind of damage the sample holds with its reason, and find every checksum equal. A second
 * run writes nothing and reports the same.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultDomainConfig, hashPassword, identity, Cache } from "@deltacrown/domain";
import { createTestDatabase, useTestServices, waitFor, type TestDatabase } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runImport, type Reconciliation } from "../src/index.ts";
import { LEGACY_SAMPLE, loadDump } from "../src/testing/index.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = "packages/legacy-import/src/cli.ts";

interface Cli {
  stdout: () => string;
  stderr: () => string;
  kill: () => void;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

function startCli(args: string[], env: Record<string, string | undefined>): Cli {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LEGACY_IMPORT_PAUSE_AT: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", CLI, ...args], {
    cwd: repoRoot,
    env: childEnv,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    kill: () => child.kill("SIGKILL"),
    exited: new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal }))),
  };
}

/** Every table the import writes (and the rest of what a batch could touch). */
async function tableCounts(db: ReturnType<typeof useTestServices>["db"]) {
  const { rows } = await sql<Record<string, number>>`select
    (select count(*) from users)::int as users, (select count(*) from games)::int as games,
    (select count(*) from organizations)::int as organizations,
    (select count(*) from organization_memberships)::int as organization_memberships,
    (select count(*) from teams)::int as teams, (select count(*) from team_memberships)::int as team_memberships,
    (select count(*) from team_rankings)::int as team_rankings, (select count(*) from cp_ledger)::int as cp_ledger,
    (select count(*) from tournaments)::int as tournaments, (select count(*) from registrations)::int as registrations,
    (select count(*) from wallets)::int as wallets, (select count(*) from wallet_transactions)::int as wallet_transactions,
    (select count(*) from wallet_entries)::int as wallet_entries,
    (select count(*) from legacy_import_map)::int as map, (select count(*) from legacy_import_refusals)::int as refusals,
    (select count(*) from legacy_import_notes)::int as notes`.execute(db);
  return rows[0]!;
}

const byEntity = (r: Reconciliation) =>
  Object.fromEntries(r.entities.map((e) => [e.entity, [e.read, e.imported, e.linked, e.refused, e.unaccounted]]));
const reasons = (r: Reconciliation) =>
  Object.fromEntries(r.entities.flatMap((e) => e.reasons.map((x) => [`${e.entity}:${x.reason}`, x.count])));
const notes = (r: Reconciliation) =>
  Object.fromEntries(r.entities.flatMap((e) => e.notes.map((x) => [`${e.entity}:${x.note}`, x.count])));

describe("pnpm import:legacy on the old site's sample", () => {
  const services = useTestServices();
  let legacy: TestDatabase;
  let firstReport: Reconciliation;
  let nativeUserId: number;

  beforeAll(async () => {
    legacy = await createTestDatabase({ empty: true });
    await loadDump(legacy.url, LEGACY_SAMPLE);
    // DeltaCrown is not empty: a user of its own holds id 1, and it already has Valorant.
    const native = await services.db
      .insertInto("users")
      .values({ username: "native", email: "native@dc.test", display_name: "Native", password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
    nativeUserId = native.id;
    await services.db
      .insertInto("games")
      .values({ slug: "valorant", name: "VALORANT", short_name: "VAL", genre: "fps", team_size: 5 })
      .execute();
  });
  afterAll(async () => {
    await legacy?.drop();
  });

  it("--help prints usage without touching anything; unknown flags and a missing --from are refused", async () => {
    const help = startCli(["--help"], { DATABASE_URL: undefined });
    expect((await help.exited).code).toBe(0);
    expect(help.stdout()).toContain("pnpm import:legacy --from <postgres-url>");
    const unknown = startCli(["--from", legacy.url, "--fast"], { DATABASE_URL: services.url });
    expect((await unknown.exited).code).toBe(2);
    expect(unknown.stderr()).toContain("--fast");
    const missing = startCli([], { DATABASE_URL: services.url });
    expect((await missing.exited).code).toBe(2);
    expect(missing.stderr()).toContain("--from is required");
    expect((await tableCounts(services.db)).map).toBe(0);
  }, 60_000);

  it("is killed inside a batch, resumes without duplicates, and accounts for every legacy row", async () => {
    const args = ["--from", legacy.url, "--batch-size", "100"];
    const first = startCli(args, { DATABASE_URL: services.url, LEGACY_IMPORT_PAUSE_AT: "team:2" });
    await waitFor(() => first.stdout().includes("paused inside batch team#2"), { timeoutMs: 60_000 });
    // Batch 1 of the teams committed (98 brought across, teams 1 and 3 refused); batch 2 wrote its
    // rows but has not committed them.
    const inside = await sql<{ mapped: number; teams: number; writing: number }>`select
      (select count(*) from legacy_import_map where entity = 'team')::int as mapped,
      (select count(*) from teams)::int as teams,
      (select count(*) from pg_stat_activity where datname = current_database()
        and application_name = 'deltacrown-legacy-import' and state = 'idle in transaction')::int as writing`.execute(
      services.db,
    );
    expect(inside.rows[0]).toEqual({ mapped: 98, teams: 98, writing: 1 });

    first.kill();
    expect((await first.exited).signal).toBe("SIGKILL");
    // The dead process's sessions (and its advisory lock) end when Postgres notices the socket closed.
    await waitFor(
      async () =>
        (
          await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and application_name = 'deltacrown-legacy-import'`.execute(services.db)
        ).rows[0]!.n === 0,
      { timeoutMs: 30_000 },
    );
    // Its job is still locked by the dead runner: graphile-worker alone would wait four hours.
    const locked = await sql<{ key: string; mine: boolean }>`
      select key, locked_by = (select worker_id from legacy_import_runs where id = 1) as mine
      from graphile_worker.jobs where task_identifier = 'legacy-import/batch'`.execute(services.db);
    expect(locked.rows).toEqual([{ key: "legacy-import:team:2", mine: true }]);

    const second = startCli(args, { DATABASE_URL: services.url });
    const { code } = await second.exited;
    expect(second.stderr()).toBe("");
    expect(code).toBe(0);
    expect(second.stdout()).toContain("resuming the unfinished import at legacy-import:team:2");
    // Each batch within the worker's per-item budget of 3 queries (the empty last one needs 2).
    const perBatch = [...second.stdout().matchAll(/ (\d+) queries /g)].map((m) => Number(m[1]));
    expect(perBatch.length).toBeGreaterThan(20);
    expect(Math.max(...perBatch)).toBeLessThanOrEqual(3);

    const runs = await sql<{ status: string; report: { reconciliation: Reconciliation } | null }>`
      select status, report from legacy_import_runs order by id`.execute(services.db);
    expect(runs.rows.map((r) => r.status)).toEqual(["crashed", "finished"]);
    firstReport = runs.rows[1]!.report!.reconciliation;

    expect(firstReport.ok).toBe(true);
    // [read, imported, linked, refused, unaccounted]
    expect(byEntity(firstReport)).toEqual({
      user: [500, 499, 0, 1, 0],
      game: [5, 4, 1, 0, 0],
      organization: [10, 10, 0, 0, 0],
      organization_member: [31, 31, 0, 0, 0],
      team: [250, 247, 0, 3, 0],
      team_member: [1228, 1214, 0, 14, 0],
      ranking: [250, 247, 0, 3, 0],
      tournament: [25, 24, 0, 1, 0],
      registration: [1000, 946, 0, 54, 0],
      wallet: [500, 498, 0, 2, 0],
    });
    // Every kind of damage in the sample, refused with its reason …
    expect(reasons(firstReport)).toEqual({
      "user:email_case_duplicate": 1, // user 9, PLAYER00008@EXAMPLE.TEST
      "team:owner_not_member": 1, // team 1
      "team:slug_case_duplicate": 1, // team 3, "Team-00002"
      "team:owner_refused": 1, // team 208, owned by user 9
      "team_member:team_refused": 12,
      "team_member:member_deactivated": 2, // user 405 on teams 67 and 139
      "ranking:team_refused": 3,
      "tournament:over_capacity": 1, // tournament 1: 30 confirmed + 8 pending for 10 places
      "registration:tournament_refused": 40,
      "registration:team_refused": 14,
      "wallet:negative_balance": 1, // -50
      "wallet:user_refused": 1,
    });
    // … or brought across with a note.
    expect(notes(firstReport)).toEqual({
      "user:deactivated": 1, // user 405
      "game:game_linked": 1,
      "game:game_defaults": 4,
      "team:markup_in_name": 1, // team 4
      "ranking:tier_mismatch": 1, // team 4: MASTER with 90 CP
    });
    expect(firstReport.checksums.map((c) => [c.name, c.equal, c.source.total])).toEqual([
      ["wallet balance per wallet", true, "498000000"],
      ["wallet ledger per wallet (sum of its entries)", true, "498000000"],
      ["members per team (teams.member_count)", true, "1214"],
      ["members per team (roster rows)", true, "1214"],
      ["CP per team (team_rankings.current_cp)", true, "620642"],
      ["CP per team (sum of its CP ledger)", true, "620642"],
      ["live entries per tournament (tournaments.entries_count)", true, "908"],
    ]);

    // No duplicates anywhere: one target row per mapping, and the counts the report gives.
    const counts = await tableCounts(services.db);
    expect(counts).toMatchObject({
      users: 1 + 499,
      games: 1 + 4,
      teams: 247,
      team_memberships: 1214,
      registrations: 946,
      wallets: 1 + 498, // the mint, then the users'
      wallet_entries: 2 * 498,
      map: 499 + 5 + 10 + 31 + 247 + 1214 + 247 + 24 + 946 + 498,
      refusals: 1 + 3 + 14 + 3 + 1 + 54 + 2,
    });
    // The mint issued exactly the imported coins.
    const mint = await sql<{ balance: string }>`select balance::text from wallets where system_key = 'mint'`.execute(
      services.db,
    );
    expect(mint.rows[0]!.balance).toBe("-498000000");
  }, 180_000);

  it("keeps slugs, ids where free, and created dates; damage is refused, not fixed", async () => {
    const team = await services.db
      .selectFrom("teams")
      .select(["id", "slug", "name", "created_at", "member_count"])
      .where("slug", "in", ["team-00002", "team-00004", "team-00005"])
      .orderBy("id")
      .execute();
    expect(team.map((t) => [t.id, t.slug, t.name])).toEqual([
      [2, "team-00002", "Team 00002"],
      [4, "team-00004", "<b>Bold</b> Squad <script>alert(1)</script>"],
      [5, "team-00005", "東京ゲーミング"],
    ]);
    expect(team[0]!.created_at.toISOString()).toBe("2025-10-18T23:31:28.000Z");
    // Team 3's "Team-00002" was refused, not renamed; team 1 (owner off its roster) likewise.
    expect(await services.db.selectFrom("teams").select("id").where("id", "in", [1, 3, 208]).execute()).toEqual([]);
    // Legacy user 1 could not keep id 1 (DeltaCrown's own user has it): a new id, recorded in the map.
    const user1 = await sql<{ new_id: number }>`
      select new_id from legacy_import_map where entity = 'user' and old_id = 1`.execute(services.db);
    expect(user1.rows[0]!.new_id).toBeGreaterThan(500);
    expect(nativeUserId).toBe(1);
    const user2 = await services.db.selectFrom("users").selectAll().where("id", "=", 2).executeTakeFirstOrThrow();
    expect(user2).toMatchObject({ username: "player00002", is_staff: false });
    expect(user2.created_at.toISOString()).toBe("2025-01-28T02:05:10.000Z");
    // Valorant was linked, not duplicated; the legacy tier is derived again from CP (90 CP: unranked).
    const ranking4 = await services.db
      .selectFrom("team_rankings")
      .select(["current_cp", "tier"])
      .where("team_id", "=", 4)
      .executeTakeFirstOrThrow();
    expect(ranking4).toEqual({ current_cp: 90, tier: "unranked" });
    const refusal = await services.db
      .selectFrom("legacy_import_refusals")
      .select(["reason", "detail"])
      .where("entity", "=", "team")
      .where("old_id", "=", "208")
      .executeTakeFirstOrThrow();
    expect(refusal).toEqual({ reason: "owner_refused", detail: "owner user 9 was refused (email_case_duplicate)" });
  });

  it("an imported user signs in with the old site's password, which is rehashed; a deactivated one cannot", async () => {
    const deps = { db: services.db, cache: new Cache(), config: { ...defaultDomainConfig, scryptCost: 1024 } };
    const auth = await identity.signIn(deps, { login: "player00002", password: "deltacrown" });
    expect(auth.user.id).toBe(2);
    const stored = await services.db.selectFrom("users").select("password_hash").where("id", "=", 2).executeTakeFirst();
    expect(stored!.password_hash).toMatch(/^scrypt\$1024\$/);
    await expect(identity.signIn(deps, { login: "player00405", password: "deltacrown" })).rejects.toMatchObject({
      reason: "BAD_CREDENTIALS",
    });
    expect(await hashPassword("x", 1024)).toMatch(/^scrypt\$/);
  });

  it("a second run writes nothing new and reports the same reconciliation", async () => {
    const before = await tableCounts(services.db);
    const lines: string[] = [];
    const again = await runImport({
      targetUrl: services.url,
      sourceUrl: legacy.url,
      batchSize: 100,
      out: (l) => lines.push(l),
    });
    expect(again.ok).toBe(true);
    expect(again.reconciliation).toEqual(firstReport);
    expect(await tableCounts(services.db)).toEqual(before);
    // Every batch read its rows and skipped them all: nothing new, nothing refused again.
    expect(lines.filter((l) => / new +[1-9]/.test(l))).toEqual([]);
    expect(lines.at(-1)).toBe("OK: every legacy row is accounted for and every checksum is equal");
  }, 120_000);
});
