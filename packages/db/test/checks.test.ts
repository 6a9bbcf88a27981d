/**
 * The performance check against a real, migrated Postgres (a database of the test harness). Each test changes the schema inside a
 * transaction it rolls back (DDL is transactional in Postgres), except the CLI tests, which run in
 * another process and so commit and then restore what they changed.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  runPerformanceCheck,
  type Finding,
  type PerformanceCheckOptions,
  type PerformanceCheckResult,
} from "../src/checks/performance-check.ts";
import { REQUIRED_INDEXES, type RequiredIndex } from "../src/checks/required-indexes.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const cliPath = path.join(repoRoot, "packages/db/src/checks/check-cli.ts");
const execFileAsync = promisify(execFile);

let database: TestDatabase;
let db: Kysely<unknown>;

// The harness's own databases: a clone of the run's migrated template (dropped by the run's
// teardown even if this file stops half way), on whichever server the harness provisioned.
beforeAll(async () => {
  database = await createTestDatabase();
  db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

/** Applies `ddl`, runs the check on the same connection, then rolls everything back. */
async function checkAfter(...ddl: string[]): Promise<PerformanceCheckResult> {
  return checkWithOptionsAfter({}, ...ddl);
}

async function checkWithOptionsAfter(
  options: PerformanceCheckOptions,
  ...ddl: string[]
): Promise<PerformanceCheckResult> {
  const trx = await db.startTransaction().execute();
  try {
    for (const statement of ddl) await sql.raw(statement).execute(trx);
    return await runPerformanceCheck(trx, options);
  } finally {
    await trx.rollback().execute();
  }
}

function ofKind<K extends Finding["kind"]>(findings: Finding[], kind: K): Extract<Finding, { kind: K }>[] {
  return findings.filter((finding): finding is Extract<Finding, { kind: K }> => finding.kind === kind);
}

async function runCli(
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DC_CHECK_MIGRATE: undefined, ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", cliPath],
      {
        cwd: repoRoot,
        env: childEnv,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("performance check", () => {
  it("passes the migrated schema with zero findings, listing requirements on absent tables as pending", async () => {
    const result = await runPerformanceCheck(database.url);
    expect(result.findings).toEqual([]);
    expect(result.foreignKeysCovered).toBeGreaterThan(0);
    // The schema grows migration by migration: whatever tables exist are checked, the rest pending.
    const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.tables
      where table_schema = 'public'`.execute(db);
    const existing = new Set(rows.map((r) => r.table_name));
    const absent = REQUIRED_INDEXES.filter((r) => !existing.has(r.table));
    expect(result.requiredPresent).toBe(REQUIRED_INDEXES.length - absent.length);
    expect(result.pending.map((p) => p.requirement)).toEqual(absent);
    for (const p of result.pending) expect(p.message).toMatch(/^pending \(table not yet created\): /);
  });

  it("reports a dropped required index as missing, by table and columns", async () => {
    const { findings } = await checkAfter("drop index teams_organization_game_idx");
    const [finding] = ofKind(findings, "missing-index");
    expect(finding).toMatchObject({ table: "teams", columns: ["organization_id", "game_id"], source: "contract §2.2" });
    expect(finding?.message).toContain("teams(organization_id, game_id)");
    expect(finding?.message).toContain("contract §2.2");
    // That index was also the one covering the teams.organization_id foreign key.
    expect(ofKind(findings, "unindexed-foreign-key")).toMatchObject([
      { table: "teams", columns: ["organization_id"], referencedTable: "organizations" },
    ]);
    expect(findings).toHaveLength(2);
  });

  it("does not accept a partial index as the required one", async () => {
    const { findings } = await checkAfter(
      "drop index teams_organization_game_idx",
      "create index teams_org_game_active_idx on teams (organization_id, game_id) where disbanded_at is null",
    );
    const [finding] = ofKind(findings, "missing-index");
    expect(finding?.columns).toEqual(["organization_id", "game_id"]);
    expect(finding?.detail).toMatch(/teams_org_game_active_idx is partial/);
  });

  it("accepts an equivalent index under another name, direction, or with trailing columns", async () => {
    const { findings } = await checkAfter(
      "drop index teams_organization_game_idx",
      "create index renamed_idx on teams (organization_id desc, game_id desc, created_at)",
    );
    expect(findings).toEqual([]);
  });

  it("requires unique requirements to be unique on exactly their columns", async () => {
    const { findings } = await checkAfter(
      "alter table team_memberships drop constraint if exists team_memberships_team_user_key",
      "drop index team_memberships_team_user_key",
      "create unique index team_memberships_wider_key on team_memberships (team_id, user_id, role)",
    );
    const [finding] = ofKind(findings, "missing-index");
    expect(finding).toMatchObject({ table: "team_memberships", columns: ["team_id", "user_id"], unique: true });
    expect(finding?.detail).toMatch(/not on exactly these columns/);
  });

  it("requires citext for case-insensitive uniqueness, and ignores expression indexes", async () => {
    const { findings } = await checkAfter(
      "drop index users_email_key",
      "create unique index users_lower_email_key on users (lower(email::text))",
    );
    expect(ofKind(findings, "missing-index").map((f) => f.message)).toEqual([
      expect.stringContaining("unique users(email)"),
    ]);
    const typed = await checkAfter("alter table games alter column slug type text");
    expect(ofKind(typed.findings, "missing-index")[0]?.detail).toMatch(/games\.slug is text, not citext/);
  });

  // Synthetic requirements on a synthetic table, so these hold whatever later migrations add.
  const later: RequiredIndex = {
    table: "zz_later_matches",
    columns: ["tournament_id", "state"],
    since: "tournaments",
    source: "test",
  };
  const covering: RequiredIndex = {
    table: "zz_later_entries",
    columns: ["tournament_id", "status"],
    include: ["team_id", "created_at"],
    since: "tournaments",
    source: "old system's slow-query report",
  };

  it("lists a requirement on an absent table as pending, and checks it once the table exists", async () => {
    const before = await checkWithOptionsAfter({ required: [later] });
    expect(before.pending.map((p) => p.requirement.table)).toEqual(["zz_later_matches"]);
    const { findings, pending } = await checkWithOptionsAfter(
      { required: [later] },
      "create table zz_later_matches (id int primary key, tournament_id int not null, state text not null)",
    );
    expect(pending).toEqual([]);
    expect(ofKind(findings, "missing-index")).toMatchObject([
      { table: "zz_later_matches", columns: ["tournament_id", "state"] },
    ]);
  });

  it("requires the INCLUDE columns of a covering-index requirement", async () => {
    const create = `create table zz_later_entries (id int primary key, tournament_id int not null,
       team_id int, status text not null, created_at timestamptz not null default now())`;
    const lacking = await checkWithOptionsAfter(
      { required: [covering] },
      create,
      "create index zz_entries_status_idx on zz_later_entries (tournament_id, status) include (team_id)",
    );
    expect(ofKind(lacking.findings, "missing-index").map((f) => f.message)).toEqual([
      "missing-index: zz_later_entries(tournament_id, status) include (team_id, created_at) is required (old system's slow-query report) — no usable index: zz_entries_status_idx does not include (created_at)",
    ]);
    const covered = await checkWithOptionsAfter(
      { required: [covering] },
      create,
      "create index on zz_later_entries (tournament_id, status, created_at) include (team_id)",
    );
    expect(covered.findings).toEqual([]);
  });

  it("reports a foreign key with no index leading with its columns", async () => {
    const { findings } = await checkAfter(
      "alter table team_invites add column reviewer_id integer references users (id)",
      // A partial index does not serve the referential lookups.
      "create index team_invites_reviewer_pending_idx on team_invites (reviewer_id) where status = 'pending'",
      // Nor does one where the column is not leading.
      "create index team_invites_status_reviewer_idx on team_invites (status, reviewer_id)",
    );
    expect(findings).toHaveLength(1);
    const [finding] = ofKind(findings, "unindexed-foreign-key");
    expect(finding).toMatchObject({ table: "team_invites", columns: ["reviewer_id"], referencedTable: "users" });
    expect(finding?.message).toMatch(/team_invites\(reviewer_id\) references users/);

    const indexed = await checkAfter(
      "alter table team_invites add column reviewer_id integer references users (id)",
      "create index on team_invites (reviewer_id, created_at)",
    );
    expect(indexed.findings).toEqual([]);

    // Leaving out only the nulls serves every referential lookup (equality never matches null).
    const notNull = await checkAfter(
      "alter table team_invites add column reviewer_id integer references users (id)",
      "create index on team_invites (reviewer_id) where reviewer_id is not null",
    );
    expect(notNull.findings).toEqual([]);
  });

  it("reports redundant indexes, naming both, but never a unique index as redundant to a plain one", async () => {
    const { findings } = await checkAfter(
      "create index on teams (slug)",
      "create index x on team_memberships (user_id)",
      "create unique index team_memberships_user_role_key on team_memberships (user_id, role)",
      // Different predicate or sort order: not redundant.
      "create index notifications_read_user_idx on notifications (user_id) where read_at is not null",
      "create index team_rankings_game_cp_asc_idx on team_rankings (game_id, current_cp)",
    );
    const duplicates = ofKind(findings, "duplicate-index").map((f) => [f.index, f.coveredBy]);
    expect(duplicates).toEqual(
      expect.arrayContaining([
        ["teams_slug_idx", "teams_slug_key"],
        ["x", expect.stringMatching(/^team_memberships_user_role_(idx|key)$/)],
        ["team_memberships_user_role_idx", "team_memberships_user_role_key"],
      ]),
    );
    expect(duplicates).toHaveLength(3);
    expect(findings).toHaveLength(3);
    const slug = ofKind(findings, "duplicate-index").find((f) => f.index === "teams_slug_idx");
    expect(slug?.message).toBe(
      "duplicate-index: teams_slug_idx on teams(slug) is redundant: its keys are identical to unique teams_slug_key on teams(slug)",
    );
  });

  it("compares partial indexes only with indexes of the same predicate", async () => {
    const { findings } = await checkAfter(
      "create index notifications_unread_user_id_idx on notifications (user_id, id desc) where read_at is null",
    );
    expect(ofKind(findings, "duplicate-index")).toMatchObject([
      { index: "notifications_user_unread_idx", coveredBy: "notifications_unread_user_id_idx" },
    ]);
  });

  it("reports only one of two identical plain indexes", async () => {
    const { findings } = await checkAfter("create index teams_created_at_copy_idx on teams (created_at desc)");
    expect(ofKind(findings, "duplicate-index")).toMatchObject([
      { table: "teams", index: "teams_created_at_idx", coveredBy: "teams_created_at_copy_idx" },
    ]);
  });
});

describe("check-cli", () => {
  it("exits 2 with a clear message when DATABASE_URL is unset", async () => {
    const result = await runCli({ DATABASE_URL: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("DATABASE_URL is not set");
  }, 30_000);

  it("migrates a fresh database with DC_CHECK_MIGRATE=1 and exits 0", async () => {
    const fresh = await createTestDatabase({ empty: true });
    try {
      const result = await runCli({ DATABASE_URL: fresh.url, DC_CHECK_MIGRATE: "1" });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      // Same migrations as this file's database, so the same summary.
      expect(result.stdout).toContain((await runPerformanceCheck(database.url)).summary);
    } finally {
      await fresh.drop();
    }
  }, 120_000);

  it("exits 1 and prints the finding when a required index is missing", async () => {
    const clean = await runPerformanceCheck(database.url);
    await sql`drop index teams_organization_game_idx`.execute(db);
    try {
      const result = await runCli({ DATABASE_URL: database.url });
      expect(result.code).toBe(1);
      const lines = result.stdout.trim().split("\n");
      expect(lines).toContainEqual(
        expect.stringMatching(/^missing-index: teams\(organization_id, game_id\) is required/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^unindexed-foreign-key: teams\(organization_id\) references organizations/),
      );
      expect(lines.at(-1)).toBe(
        `performance check: ${clean.requiredPresent - 1} required indexes present, ${clean.foreignKeysCovered - 1} foreign keys covered, 2 findings`,
      );
    } finally {
      await sql`create index teams_organization_game_idx on teams (organization_id, game_id)`.execute(db);
    }
  }, 30_000);
});
