import type { TeamRole } from "@deltacrown/db";
import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";
import { mapWord } from "./common.ts";

interface TeamMemberRow {
  id: string;
  role: string;
  joined_at: Date;
  team_id: string;
  user_id: string;
  user_active: boolean;
}

const ROLES: Record<string, TeamRole> = {
  OWNER: "owner",
  MANAGER: "manager",
  CAPTAIN: "captain",
  COACH: "coach",
  PLAYER: "player",
  SUBSTITUTE: "substitute",
};

export const teamMembers = defineSpec<TeamMemberRow>({
  entity: "team_member",
  read: (afterId, limit) => sql<TeamMemberRow>`
    select m.id::text as id, m.role, m.joined_at, m.team_id::text as team_id, m.user_id::text as user_id,
      u.is_active as user_active
    from teams_teammembership m join auth_user u on u.id = m.user_id
    where m.id > ${afterId}::bigint order by m.id limit ${limit}`,
  refs: (row) => [
    { entity: "team", oldId: row.team_id, as: "team", reason: "team_refused" },
    { entity: "user", oldId: row.user_id, as: "user", reason: "user_refused" },
  ],
  classify(row, { newId }) {
    const problems: Problem[] = [];
    const role = mapWord(row.role, ROLES);
    if (!role) problems.push({ reason: "unknown_role", detail: `role ${JSON.stringify(row.role)}` });
    if (!row.user_active) problems.push({ reason: "member_deactivated", detail: `user ${row.user_id} is deactivated` });
    return {
      problems,
      values: {
        team_id: newId("team", row.team_id),
        user_id: newId("user", row.user_id),
        role,
        joined_at: row.joined_at,
      },
    };
  },
  columns: "team_id integer, user_id integer, role text, joined_at timestamptz",
  // The team's precomputed member_count grows by the members this batch brought across.
  insert: `ins as (
    insert into team_memberships (id, team_id, user_id, role, status, joined_at)
    overriding system value
    select map.new_id, acc.team_id, acc.user_id, acc.role, 'active', acc.joined_at
    from map join acc using (old_id)
    returning team_id
  ), counted as (
    update teams t set member_count = t.member_count + c.n
    from (select team_id, count(*)::int as n from ins group by team_id) c
    where t.id = c.team_id
    returning 1
  )`,
});
