/**
 * The plan check on a modest seeded dataset (2,000 teams): clean while the indexes exist, and a
 * finding naming the table and the scan once an index a hot query needs is dropped.
 */
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPlanDataset } from "../src/checks/plans-dataset.ts";
import { checkPlans, type RecordedStatement } from "../src/checks/plans.ts";

const THRESHOLD = 500;
let database: TestDatabase;

async function execute(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

// The shapes of two hot reads: team detail by slug, and a newest-first page of teams.
const teamBySlug: RecordedStatement = {
  path: "teams.bySlug",
  sql: `select "t"."id", "t"."name" from "teams" as "t" where "t"."slug" = $1 and "t"."disbanded_at" is null`,
  params: ["team-42"],
};
const newestTeams: RecordedStatement = {
  path: "teams.newest",
  sql: `select "id", "slug" from "teams" order by "created_at" desc limit $1`,
  params: [20],
};

// A database of the test harness: a clone of the run's migrated template.
beforeAll(async () => {
  database = await createTestDatabase();
  await seedPlanDataset(database.url, { teams: 2000 }, "not-a-real-hash");
}, 120_000);

afterAll(async () => {
  await database?.drop();
});

describe("plan checks", () => {
  it("passes hot reads that use their indexes", async () => {
    const result = await checkPlans(database.url, [teamBySlug, newestTeams], { rowThreshold: THRESHOLD });
    expect(result.findings).toEqual([]);
    expect(result.checked).toBe(2);
  });

  it("fails with the table and the Seq Scan named once the index a hot query needs is dropped", async () => {
    await execute(`drop index teams_slug_key`);
    const result = await checkPlans(database.url, [teamBySlug], { rowThreshold: THRESHOLD });
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ path: "teams.bySlug", kind: "seq-scan", relation: "teams" });
    expect(finding!.message).toMatch(/Seq Scan on teams \(\d+ rows, threshold 500\)/);
    expect(finding!.plan).toContain("Seq Scan on teams");
  });

  it("fails on a sort feeding a LIMIT when no index gives the order", async () => {
    await execute(`drop index teams_created_at_idx`);
    const result = await checkPlans(database.url, [newestTeams], { rowThreshold: THRESHOLD });
    expect(result.findings.map((f) => f.kind).sort()).toEqual(["seq-scan", "sort-limit"]);
    expect(result.findings.find((f) => f.kind === "sort-limit")!.message).toContain("Sort feeding a Limit");
  });

  it("lets an allow-listed scan through, with its reason", async () => {
    const result = await checkPlans(database.url, [teamBySlug], {
      rowThreshold: THRESHOLD,
      allowList: [{ relation: "teams", kind: "seq-scan", fingerprintIncludes: `"t"."slug" = ?`, reason: "test" }],
    });
    expect(result.findings).toEqual([]);
    expect(result.allowed).toEqual([expect.objectContaining({ path: "teams.bySlug", reason: "test" })]);
  });
});
