import { describe, expect, it } from "vitest";
import { startedThatFit, DEFAULT_TOURNAMENT_SIZE } from "../src/tournament-dataset.ts";
import { cursor, planRegistrations, planReports, speedup } from "../src/tournament-inputs.ts";
import {
  SECTION_END,
  SECTION_START,
  spliceSection,
  tournamentAims,
  type TournamentCaseResult,
} from "../src/tournaments-report.ts";
import { summarize } from "../src/stats.ts";

describe("planRegistrations", () => {
  const tournaments = [
    { slug: "t1", gameId: 1 },
    { slug: "t2", gameId: 2 },
    { slug: "t3", gameId: 1 },
  ];
  const teams = [
    { slug: "a", gameId: 1, ownerId: 10 },
    { slug: "b", gameId: 2, ownerId: 20 },
    { slug: "c", gameId: 1, ownerId: 30 },
    { slug: "d", gameId: 3, ownerId: 40 },
  ];
  const calls = planRegistrations(tournaments, teams);

  it("pairs every open tournament with every team of its game exactly once", () => {
    const pairs = calls.map((c) => `${c.tournamentSlug}/${c.teamSlug}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(pairs.sort()).toEqual(["t1/a", "t1/c", "t2/b", "t3/a", "t3/c"]);
  });

  it("interleaves tournaments so consecutive calls lock different tournament rows", () => {
    expect(calls.slice(0, 3).map((c) => c.tournamentSlug)).toEqual(["t1", "t2", "t3"]);
    expect(calls[0]).toEqual({ tournamentSlug: "t1", teamSlug: "a", userId: 10 });
  });
});

describe("planReports", () => {
  const matches = [1, 2, 3, 4, 5].map((id) => ({ id, ownerA: id * 10, ownerB: id * 10 + 1 }));

  it("reports both sides of every match, side A of a block before its side B", () => {
    const calls = planReports(matches, 2);
    expect(calls).toHaveLength(10);
    expect(calls.slice(0, 4)).toEqual([
      { matchId: 1, userId: 10, completes: false },
      { matchId: 2, userId: 20, completes: false },
      { matchId: 1, userId: 11, completes: true },
      { matchId: 2, userId: 21, completes: true },
    ]);
    expect(calls.filter((c) => c.completes).map((c) => c.matchId)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("cursor", () => {
  it("hands out each item once and then undefined", () => {
    const c = cursor(["x", "y"]);
    expect([c.next(), c.next(), c.next()]).toEqual(["x", "y", undefined]);
    expect([c.used(), c.left()]).toEqual([2, 0]);
  });
});

describe("startedThatFit", () => {
  it("keeps every team in at most one started tournament of its game", () => {
    expect(startedThatFit(DEFAULT_TOURNAMENT_SIZE, 500, 20)).toBe(60);
    expect(startedThatFit(DEFAULT_TOURNAMENT_SIZE, 200, 20)).toBe(20);
    expect(startedThatFit(DEFAULT_TOURNAMENT_SIZE, 100, 20)).toBe(0);
  });
});

describe("tournamentAims", () => {
  const c = (name: string, transport: "http" | "in-process", clients: number, p95: number): TournamentCaseResult => ({
    name,
    path: "x",
    transport,
    clients,
    cache: "on",
    budgetQueries: 8,
    stats: { ...summarize([1, 2, 3], 0, 1), p95 },
  });

  it("compares p95 at 10 clients with Django's p95 ÷ 20", () => {
    const aims = tournamentAims({
      cases: [c("registration", "http", 1, 1), c("registration", "http", 10, 9), c("match report", "http", 10, 7.5)],
    });
    expect(aims.map((a) => [a.value, a.met])).toEqual([
      [9, true],
      [7.5, false],
    ]);
    expect(aims[0]!.target).toContain("9.35");
    expect(aims[1]!.target).toContain("7.25");
  });

  it("speedup is the reference over the measurement", () => {
    expect(speedup(187, 9.35)).toBe(20);
  });
});

describe("spliceSection", () => {
  const doc = "# Performance\n\nintro\n\n## The performance gate\n\ngate\n";

  it("inserts the section before the gate the first time, then replaces only it", () => {
    const once = spliceSection(doc, "## Tournaments\n\nfirst\n");
    expect(once.indexOf(SECTION_START)).toBeLessThan(once.indexOf("## The performance gate"));
    const twice = spliceSection(once, "## Tournaments\n\nsecond\n");
    expect(twice).not.toContain("first");
    expect(twice.split(SECTION_END)).toHaveLength(2);
    expect(twice.replace(/<!-- tournaments:start -->[\s\S]*<!-- tournaments:end -->\n/, "")).toBe(
      once.replace(/<!-- tournaments:start -->[\s\S]*<!-- tournaments:end -->\n/, ""),
    );
  });

  it("appends when there is no gate section", () => {
    expect(spliceSection("# P\n", "## Tournaments\n")).toMatch(/# P\n\n<!-- tournaments:start -->/);
  });
});
