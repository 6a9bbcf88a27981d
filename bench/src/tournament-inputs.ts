/**
 * Pure input planning for the tournaments benchmark: which team registers into which tournament,
 * and in which order the two sides of each ready match report. Calls are handed out by one shared
 * cursor, so every call of every phase (in-process or HTTP, 1 or 10 clients) is a fresh write.
 */

export interface OpenTournament {
  slug: string;
  gameId: number;
}

export interface EligibleTeam {
  slug: string;
  gameId: number;
  /** The team's owner: the user whose session registers it. */
  ownerId: number;
}

export interface RegistrationCall {
  tournamentSlug: string;
  teamSlug: string;
  userId: number;
}

/**
 * Every (open tournament, team of its game) pair once, tournament-major interleaved: call i goes
 * to tournament i % n, so concurrent calls lock different tournament rows, as real traffic spread
 * over many tournaments does.
 */
export function planRegistrations(tournaments: readonly OpenTournament[], teams: readonly EligibleTeam[]) {
  const byGame = new Map<number, EligibleTeam[]>();
  for (const t of teams) {
    const list = byGame.get(t.gameId) ?? [];
    list.push(t);
    byGame.set(t.gameId, list);
  }
  const calls: RegistrationCall[] = [];
  const depth = Math.max(0, ...tournaments.map((t) => byGame.get(t.gameId)?.length ?? 0));
  for (let k = 0; k < depth; k++) {
    for (const t of tournaments) {
      const team = byGame.get(t.gameId)?.[k];
      if (team) calls.push({ tournamentSlug: t.slug, teamSlug: team.slug, userId: team.ownerId });
    }
  }
  return calls;
}

export interface ReadyMatch {
  id: number;
  /** Owners of the teams on side A and B (each may report for its side). */
  ownerA: number;
  ownerB: number;
}

export interface ReportCall {
  matchId: number;
  userId: number;
  /** The second report of a match completes it (and advances the winner). */
  completes: boolean;
}

/**
 * Both reports of every match, in blocks: `block` matches' side-A reports, then the same matches'
 * side-B reports (which agree, so each completes its match). Two reports of one match are thus
 * `block` calls apart and seldom wait on the same row lock — it is the steady state, not a race,
 * that is measured.
 */
export function planReports(matches: readonly ReadyMatch[], block: number): ReportCall[] {
  const calls: ReportCall[] = [];
  for (let start = 0; start < matches.length; start += block) {
    const slice = matches.slice(start, start + block);
    for (const m of slice) calls.push({ matchId: m.id, userId: m.ownerA, completes: false });
    for (const m of slice) calls.push({ matchId: m.id, userId: m.ownerB, completes: true });
  }
  return calls;
}

/** A shared cursor over planned calls; `undefined` once they run out. */
export function cursor<T>(items: readonly T[]): { next(): T | undefined; used(): number; left(): number } {
  let i = 0;
  return {
    next: () => (i < items.length ? items[i++] : undefined),
    used: () => i,
    left: () => items.length - i,
  };
}

/** How many times lower `measured` is than `reference` (e.g. Django's p95 ÷ ours). */
export function speedup(reference: number, measured: number): number {
  return measured > 0 ? Math.round((reference / measured) * 10) / 10 : Number.POSITIVE_INFINITY;
}
