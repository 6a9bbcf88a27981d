/**
 * Every index the performance contract requires, named by table + ordered key columns (never by
 * index name), so a rename or an equivalent index created another way still satisfies it.
 */

/** A later migration that will create the table; until then the requirement is only "pending". */
export type LaterMigration = "tournaments" | "payments";

export interface RequiredIndex {
  table: string;
  /** Leading key columns, in order. Sort direction does not matter. */
  columns: readonly string[];
  /** The index must be unique on exactly `columns` (no extra key columns). */
  unique?: boolean;
  /** Unique columns whose type must be citext so uniqueness ignores case. */
  caseInsensitive?: boolean;
  /** Columns the index must also carry (INCLUDE or trailing key columns), for index-only scans. */
  include?: readonly string[];
  since?: LaterMigration;
  /** Why it is required: shown in findings. */
  source: string;
}

const contract = "contract §2.2";
const caseInsensitiveUnique = "case-insensitive uniqueness (citext)";
const oldSystem = "old system's slow-query report";

export const REQUIRED_INDEXES: readonly RequiredIndex[] = [
  { table: "teams", columns: ["slug"], unique: true, source: contract },
  { table: "teams", columns: ["organization_id", "game_id"], source: contract },
  { table: "teams", columns: ["created_at"], source: contract },
  { table: "team_rankings", columns: ["game_id", "tier"], source: contract },
  { table: "team_rankings", columns: ["game_id", "current_cp"], source: contract },
  { table: "team_memberships", columns: ["team_id", "user_id"], unique: true, source: contract },
  { table: "team_memberships", columns: ["user_id", "role"], source: contract },
  { table: "organizations", columns: ["slug"], unique: true, source: contract },
  { table: "organization_memberships", columns: ["organization_id", "user_id"], unique: true, source: contract },

  // Issue 17, the team's social side: feeds, followers, the once-only achievements, discovery.
  { table: "team_posts", columns: ["team_id", "id"], source: "team feed and home feed (issue 17)" },
  {
    table: "team_follows",
    columns: ["user_id", "created_at", "team_id"],
    source: "home feed, teams I follow (issue 17)",
  },
  { table: "team_follows", columns: ["team_id", "created_at", "user_id"], source: "follower list (issue 17)" },
  {
    table: "team_achievements",
    columns: ["team_id", "kind", "key"],
    unique: true,
    source: "achievements once (issue 17)",
  },
  { table: "team_promotions", columns: ["game_id", "ends_at"], source: "discovery promotions (issue 17)" },

  { table: "users", columns: ["username"], unique: true, caseInsensitive: true, source: caseInsensitiveUnique },
  { table: "users", columns: ["email"], unique: true, caseInsensitive: true, source: caseInsensitiveUnique },
  { table: "games", columns: ["slug"], unique: true, caseInsensitive: true, source: caseInsensitiveUnique },

  { table: "tournaments", columns: ["game_id", "status", "is_deleted"], since: "tournaments", source: oldSystem },
  { table: "registrations", columns: ["tournament_id", "user_id"], since: "tournaments", source: oldSystem },
  {
    table: "registrations",
    columns: ["tournament_id", "status"],
    include: ["team_id", "created_at"],
    since: "tournaments",
    source: oldSystem,
  },
  { table: "matches", columns: ["tournament_id", "state"], since: "tournaments", source: oldSystem },
  { table: "payments", columns: ["registration_id", "status"], since: "payments", source: oldSystem },
];

/** "teams(organization_id, game_id)" — the form every finding uses. */
export function describeColumns(table: string, columns: readonly string[]): string {
  return `${table}(${columns.join(", ")})`;
}

export function describeRequirement(required: RequiredIndex): string {
  const include = required.include?.length ? ` include (${required.include.join(", ")})` : "";
  return `${required.unique ? "unique " : ""}${describeColumns(required.table, required.columns)}${include}`;
}
