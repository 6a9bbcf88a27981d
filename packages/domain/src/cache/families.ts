/**
 * Every cached read, with the contract's TTL (seed 000 §3.1, docs/architecture.md "Cache").
 * `version` is bumped when a family's value shape changes, so old entries are simply never read
 * again.
 * Never cached: permissions, sessions, payment state, audit logs, migration state.
 */
export const cacheFamilies = {
  game: { ttlSeconds: 3600, version: 1 },
  gameList: { ttlSeconds: 3600, version: 1 },
  /** v2: the social side (followers, pinned post, achievements, sponsors, settings). */
  teamDetail: { ttlSeconds: 600, version: 2 },
  /** The first page (50) of a user's teams; later pages are read live. */
  userTeams: { ttlSeconds: 300, version: 2 },
  /** Top 100 of a game's board; the leaderboard job rewrites it every 5 min, well before expiry. */
  leaderboard: { ttlSeconds: 600, version: 1 },
  org: { ttlSeconds: 900, version: 1 },
  orgDashboard: { ttlSeconds: 900, version: 1 },
  /**
   * Team search pages without a game or a name prefix (searchTeams says why those are read live).
   * Every entry hangs on ONE generation, the team directory's, carried in its key: any change a
   * search row shows bumps it (Cache: each teamDetail invalidation does), dropping them all.
   */
  teamSearch: { ttlSeconds: 300, version: 1 },
} as const satisfies Record<string, { ttlSeconds: number; version: number }>;

export type CacheFamily = keyof typeof cacheFamilies;

/**
 * The families behind the contract's hot paths (seed 000 §4.1: team page, leaderboard, my
 * teams): an alert fires when their hit ratio stays under 80% (ops/prometheus/alerts.yml).
 */
export const HOT_CACHE_FAMILIES = ["teamDetail", "leaderboard", "userTeams"] as const satisfies readonly CacheFamily[];

/** Global key-space version: bump to orphan every entry at once. */
export const CACHE_KEYSPACE = "dc:v1";

/** Families whose entries share the team directory's generation (it is part of their keys). */
export const DIRECTORY_FAMILIES: ReadonlySet<CacheFamily> = new Set<CacheFamily>(["teamSearch"]);
/**
 * Families whose invalidation also bumps the team directory: a team's page changed, and its
 * search row shows a part of that page (name, tag, organization, member count, tier, CP, or the
 * team itself created or disbanded). One rule in one place instead of a bump at every writer; a
 * writer whose change no row shows says so (`{ searchRow: "unchanged" }`, Cache.invalidate).
 */
export const DIRECTORY_SOURCES: ReadonlySet<CacheFamily> = new Set<CacheFamily>(["teamDetail"]);
/** The team directory: its generation key holds the generation; pub/sub names it on a bump. */
export const TEAM_DIRECTORY_KEY = `${CACHE_KEYSPACE}:teamDirectory`;

export function cacheKey(family: CacheFamily, id: string | number): string {
  return `${CACHE_KEYSPACE}:${family}:v${cacheFamilies[family].version}:${String(id).toLowerCase()}`;
}
