import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";
import { caseTwins, nameProblems, slugProblems, slugsTaken } from "./common.ts";

interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  created_at: Date;
  slug_dup_of: string | null;
  owner_id: string | null;
  owner_active: boolean | null;
}

export const organizations = defineSpec<OrganizationRow>({
  entity: "organization",
  // The old schema keeps the owner as an OWNER membership; the oldest one owns it here.
  read: (afterId, limit) => sql<OrganizationRow>`
    with b as (select * from teams_organization where id > ${afterId}::bigint order by id limit ${limit})
    select b.id::text as id, b.name, b.slug, b.created_at, nullif(sd.first_id, b.id)::text as slug_dup_of,
      ow.owner_id, ow.owner_active
    from b ${caseTwins("teams_organization", "slug", "sd")}
    left join lateral (
      select m.user_id::text as owner_id, u.is_active as owner_active
      from teams_organizationmembership m join auth_user u on u.id = m.user_id
      where m.organization_id = b.id and m.role = 'OWNER'
      order by m.id limit 1
    ) ow on true`,
  refs: (row) => [{ entity: "user", oldId: row.owner_id, as: "owner user", reason: "owner_refused" }],
  lookup: (rows) => [
    slugsTaken(
      "organizations",
      rows.map((r) => r.slug),
    ),
  ],
  classify(row, { newId, extra }) {
    const problems: Problem[] = [...slugProblems(row, extra.slugs_taken, "organization"), ...nameProblems(row.name)];
    if (row.owner_id === null) problems.push({ reason: "no_owner", detail: "no OWNER membership" });
    else if (row.owner_active === false)
      problems.push({ reason: "owner_deactivated", detail: `owner user ${row.owner_id} is deactivated` });
    return {
      problems,
      values: { slug: row.slug, name: row.name, owner_id: newId("user", row.owner_id), created_at: row.created_at },
    };
  },
  columns: "slug text, name text, owner_id integer, created_at timestamptz",
  insert: `ins as (
    insert into organizations (id, slug, name, owner_id, created_at, updated_at)
    overriding system value
    select map.new_id, acc.slug, acc.name, acc.owner_id, acc.created_at, acc.created_at
    from map join acc using (old_id)
    returning 1
  )`,
});
