import { appRouter, budgets, listProcedures } from "@deltacrown/api";
import { BENCH_TOKEN_PREFIX, type PlanDatasetCounts } from "@deltacrown/db";

/** One read to measure over HTTP and in a hot loop, with inputs addressed into the seeded dataset. */
export interface BenchCase {
  path: string;
  type: "query" | "mutation";
  category: string;
  budgetQueries: number;
  /** Input of the i-th call; `undefined` for procedures without input. */
  input: (i: number) => unknown;
  /** Bearer token of the i-th call, or null for a public call. */
  token: (i: number) => string | null;
  /** How the input was chosen (shown in the report). */
  note: string;
}

/** The contract's p95 latency limits per service-method category (000 §1.1), in ms. */
export const LATENCY_BUDGET_MS: Record<string, number> = {
  detail: 50,
  list: 100,
  dashboard: 100,
  form: 100,
  write: 100,
  calc: 200,
};

/** Popular teams: the detail page traffic concentrates on a hot set (contract §4.1 prefetches the top 100). */
const HOT_TEAMS = 500;
const PREFIXES = ["cro", "del", "nov", "vor", "tit", "pho", "sha", "ape"];

interface Known {
  auth: boolean;
  input?: (i: number, c: PlanDatasetCounts) => unknown;
  note: string;
}

function known(c: PlanDatasetCounts): Record<string, Known> {
  const game = (i: number) => `game-${1 + (i % c.games)}`;
  return {
    "teams.bySlug": {
      auth: false,
      input: (i) => ({ slug: `team-${1 + ((i * 7919) % Math.min(HOT_TEAMS, c.teams))}` }),
      note: `one of ${Math.min(HOT_TEAMS, c.teams)} popular teams`,
    },
    "teams.search": {
      auth: false,
      input: (i) =>
        i % 2 === 0 ? { gameSlug: game(i), limit: 20 } : { namePrefix: PREFIXES[i % PREFIXES.length], limit: 20 },
      note: "alternating: newest 20 of a game / name prefix (3 letters)",
    },
    "teams.mine": { auth: true, note: "a signed-in member of 2 teams" },
    "games.list": { auth: false, note: "all games" },
    "games.bySlug": { auth: false, input: (i) => ({ slug: game(i) }), note: "any game" },
    "rankings.leaderboard": {
      auth: false,
      input: () => ({ gameSlug: "game-1", limit: 100 }),
      note: "game-1's top 100 in one request",
    },
    "identity.me": { auth: true, note: "signed in" },
    "invites.mine": { auth: true, note: "signed in (some with pending invites)" },
  };
}

/** Inputs tried, in order, for a query nobody described yet (procedures added after this file). */
export function guessInputs(c: PlanDatasetCounts): unknown[] {
  return [
    undefined,
    {},
    { gameSlug: "game-1" },
    { gameSlug: "game-1", limit: 20 },
    { slug: "team-1" },
    { teamSlug: "team-1" },
    { slug: "org-1" },
    { organizationSlug: "org-1" },
    { limit: 20 },
    { userId: 1 + (c.sessions > 1 ? 1 : 0) },
  ];
}

export const tokenOf = (userId: number) => `${BENCH_TOKEN_PREFIX}${userId}`;

/**
 * Every query in the router (so queries added later are picked up): known ones get their inputs
 * above; unknown ones are returned with `input` unset for the caller to probe. Writes are measured
 * through their query-budget scenarios instead (scenario-bench.ts): each needs purpose-built state.
 */
export function benchCases(c: PlanDatasetCounts): {
  cases: BenchCase[];
  unknownQueries: Omit<BenchCase, "input" | "note">[];
  skipped: { path: string; reason: string }[];
} {
  const table = budgets as Record<string, { category: string; maxQueries: number }>;
  const described = known(c);
  const cases: BenchCase[] = [];
  const unknownQueries: Omit<BenchCase, "input" | "note">[] = [];
  const skipped: { path: string; reason: string }[] = [];
  // Signed-in calls spread over the users that have sessions (users 1..sessions).
  const token = (i: number) => tokenOf(1 + ((i * 37) % c.sessions));
  for (const p of listProcedures(appRouter)) {
    if (p.type !== "query") continue;
    const budget = table[p.path];
    const base = {
      path: p.path,
      type: p.type,
      category: budget?.category ?? p.meta?.category ?? "?",
      budgetQueries: budget?.maxQueries ?? Number.NaN,
    };
    const k = described[p.path];
    if (k) {
      const input = k.input;
      cases.push({
        ...base,
        input: input ? (i) => input(i, c) : () => undefined,
        token: k.auth ? token : () => null,
        note: k.note,
      });
    } else {
      unknownQueries.push({ ...base, token });
    }
  }
  return { cases, unknownQueries, skipped };
}
