import type { RegistrationStatus } from "@deltacrown/db";
import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";
import { mapWord } from "./common.ts";

interface RegistrationRow {
  id: string;
  status: string;
  created_at: Date;
  team_id: string | null;
  tournament_id: string;
  user_id: string;
  /** An older live solo entry of the same user in the same tournament exists. */
  duplicate_solo: boolean;
}

/** A cancelled entry on the old site is a withdrawn one here. */
const STATUSES: Record<string, RegistrationStatus> = {
  PENDING: "pending",
  CONFIRMED: "confirmed",
  CANCELLED: "withdrawn",
};

export const registrations = defineSpec<RegistrationRow>({
  entity: "registration",
  read: (afterId, limit) => sql<RegistrationRow>`
    select r.id::text as id, r.status, r.created_at, r.team_id::text as team_id,
      r.tournament_id::text as tournament_id, r.user_id::text as user_id,
      (r.team_id is null and r.status <> 'CANCELLED' and exists (
        select 1 from tournaments_registration o
        where o.tournament_id = r.tournament_id and o.user_id = r.user_id and o.team_id is null
          and o.status <> 'CANCELLED' and o.id < r.id)) as duplicate_solo
    from tournaments_registration r
    where r.id > ${afterId}::bigint order by r.id limit ${limit}`,
  refs: (row) => [
    { entity: "tournament", oldId: row.tournament_id, as: "tournament", reason: "tournament_refused" },
    { entity: "team", oldId: row.team_id, as: "team", reason: "team_refused" },
    { entity: "user", oldId: row.user_id, as: "user", reason: "user_refused" },
  ],
  classify(row, { newId }) {
    const problems: Problem[] = [];
    const status = mapWord(row.status, STATUSES);
    if (!status) problems.push({ reason: "unknown_status", detail: `status ${JSON.stringify(row.status)}` });
    if (row.duplicate_solo)
      problems.push({ reason: "duplicate_entry", detail: `user ${row.user_id} in tournament ${row.tournament_id}` });
    return {
      problems,
      values: {
        tournament_id: newId("tournament", row.tournament_id),
        team_id: newId("team", row.team_id) ?? null,
        user_id: newId("user", row.user_id),
        status,
        created_at: row.created_at,
      },
    };
  },
  columns: "tournament_id integer, team_id integer, user_id integer, status text, created_at timestamptz",
  // The tournament's entries_count (live entries holding a place) grows by this batch's live ones.
  insert: `ins as (
    insert into registrations (id, tournament_id, user_id, team_id, status, created_at, updated_at)
    overriding system value
    select map.new_id, acc.tournament_id, acc.user_id, acc.team_id, acc.status, acc.created_at, acc.created_at
    from map join acc using (old_id)
    returning tournament_id, status
  ), counted as (
    update tournaments t set entries_count = t.entries_count + c.n
    from (select tournament_id, count(*)::int as n from ins where status in ('pending', 'confirmed') group by 1) c
    where t.id = c.tournament_id
    returning 1
  )`,
});
