import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";
import { caseTwins, nameNotes, nameProblems, slugProblems, slugsTaken } from "./common.ts";

interface TeamRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
  game_id: string;
  organization_id: string | null;
  owner_id: string;
  slug_dup_of: string | null;
  /** The owner's roster role; null when the owner is not on the roster. */
  owner_role: string | null;
  owner_active: boolean | null;
  /** Other members holding OWNER. */
  other_owners: number;
}

export const teams = defineSpec<TeamRow>({
  entity: "team",
  read: (afterId, limit) => sql<TeamRow>`
    with b as (select * from teams_team where id > ${afterId}::bigint order by id limit ${limit})
    select b.id::text as id, b.name, b.slug, b.created_at, b.game_id::text as game_id,
      b.organization_id::text as organization_id, b.owner_id::text as owner_id,
      nullif(sd.first_id, b.id)::text as slug_dup_of,
      om.role as owner_role, ou.is_active as owner_active,
      (select count(*) from teams_teammembership x
        where x.team_id = b.id and x.role = 'OWNER' and x.user_id <> b.owner_id)::int as other_owners
    from b ${caseTwins("teams_team", "slug", "sd")}
    left join lateral (select role from teams_teammembership where team_id = b.id and user_id = b.owner_id) om on true
    left join lateral (select is_active from auth_user where id = b.owner_id) ou on true`,
  refs: (row) => [
    { entity: "game", oldId: row.game_id, as: "game", reason: "game_refused" },
    { entity: "organization", oldId: row.organization_id, as: "organization", reason: "organization_refused" },
    { entity: "user", oldId: row.owner_id, as: "owner user", reason: "owner_refused" },
  ],
  lookup: (rows) => [
    slugsTaken(
      "teams",
      rows.map((r) => r.slug),
    ),
  ],
  classify(row, { newId, extra }) {
    const problems: Problem[] = [...slugProblems(row, extra.slugs_taken, "team"), ...nameProblems(row.name)];
    if (row.owner_role === null)
      problems.push({ reason: "owner_not_member", detail: `owner user ${row.owner_id} is not on the roster` });
    else if (row.owner_role !== "OWNER" || row.other_owners > 0)
      problems.push({
        reason: "owner_role_mismatch",
        detail: `owner's role ${row.owner_role}, ${row.other_owners} other member(s) with OWNER`,
      });
    if (row.owner_active === false)
      problems.push({ reason: "owner_deactivated", detail: `owner user ${row.owner_id} is deactivated` });
    return {
      problems,
      notes: nameNotes(row.name, row.slug),
      values: {
        slug: row.slug,
        name: row.name,
        game_id: newId("game", row.game_id),
        organization_id: newId("organization", row.organization_id) ?? null,
        owner_id: newId("user", row.owner_id),
        created_at: row.created_at,
      },
    };
  },
  columns: "slug text, name text, game_id integer, organization_id integer, owner_id integer, created_at timestamptz",
  // member_count grows as the team's memberships come across (team_member batches).
  insert: `ins as (
    insert into teams (id, slug, name, game_id, organization_id, owner_id, member_count, created_at, updated_at)
    overriding system value
    select map.new_id, acc.slug, acc.name, acc.game_id, acc.organization_id, acc.owner_id, 0, acc.created_at, acc.created_at
    from map join acc using (old_id)
    returning 1
  )`,
});
