import type { OrgRole } from "@deltacrown/db";
import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";
import { mapWord } from "./common.ts";

interface OrganizationMemberRow {
  id: string;
  role: string;
  organization_id: string;
  user_id: string;
  user_active: boolean;
}

const ROLES: Record<string, OrgRole> = { OWNER: "owner", ADMIN: "admin", MANAGER: "manager", MEMBER: "member" };

export const organizationMembers = defineSpec<OrganizationMemberRow>({
  entity: "organization_member",
  read: (afterId, limit) => sql<OrganizationMemberRow>`
    select m.id::text as id, m.role, m.organization_id::text as organization_id, m.user_id::text as user_id,
      u.is_active as user_active
    from teams_organizationmembership m join auth_user u on u.id = m.user_id
    where m.id > ${afterId}::bigint order by m.id limit ${limit}`,
  refs: (row) => [
    { entity: "organization", oldId: row.organization_id, as: "organization", reason: "organization_refused" },
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
        organization_id: newId("organization", row.organization_id),
        user_id: newId("user", row.user_id),
        role,
      },
    };
  },
  columns: "organization_id integer, user_id integer, role text",
  insert: `ins as (
    insert into organization_memberships (id, organization_id, user_id, role)
    overriding system value
    select map.new_id, acc.organization_id, acc.user_id, acc.role
    from map join acc using (old_id)
    returning 1
  )`,
});
