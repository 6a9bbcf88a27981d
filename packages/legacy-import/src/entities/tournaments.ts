import type { TournamentStatus } from "@deltacrown/db";
import { sql } from "kysely";
import { defineSpec, type Problem } from "../spec.ts";
import { caseTwins, mapWord, nameProblems, slugProblems, slugsTaken } from "./common.ts";

interface TournamentRow {
  id: string;
  name: string;
  slug: string;
  status: string;
  max_participants: number;
  is_deleted: boolean;
  created_at: Date;
  game_id: string;
  organizer_id: string;
  slug_dup_of: string | null;
  confirmed: number;
  pending: number;
  team_entries: number;
  solo_entries: number;
}

const STATUSES: Record<string, TournamentStatus> = {
  DRAFT: "draft",
  PUBLISHED: "published",
  REGISTRATION_OPEN: "registration_open",
  REGISTRATION_CLOSED: "registration_closed",
  LIVE: "in_progress",
  IN_PROGRESS: "in_progress",
  COMPLETED: "completed",
  CANCELLED: "cancelled",
};
/** DeltaCrown's capacity check (tournaments.capacity between 2 and 1024). */
const MIN_CAPACITY = 2;
const MAX_CAPACITY = 1024;
/** The old schema has no schedule: the window opens at creation and closes (and play starts) this much later. */
export const IMPORTED_WINDOW = "30 days";

export const tournaments = defineSpec<TournamentRow>({
  entity: "tournament",
  read: (afterId, limit) => sql<TournamentRow>`
    with b as (select * from tournaments_tournament where id > ${afterId}::bigint order by id limit ${limit})
    select b.id::text as id, b.name, b.slug, b.status, b.max_participants, b.is_deleted, b.created_at,
      b.game_id::text as game_id, b.organizer_id::text as organizer_id, nullif(sd.first_id, b.id)::text as slug_dup_of,
      e.confirmed, e.pending, e.team_entries, e.solo_entries
    from b ${caseTwins("tournaments_tournament", "slug", "sd")}
    cross join lateral (
      select count(*) filter (where status = 'CONFIRMED')::int as confirmed,
        count(*) filter (where status = 'PENDING')::int as pending,
        count(*) filter (where team_id is not null)::int as team_entries,
        count(*) filter (where team_id is null)::int as solo_entries
      from tournaments_registration r where r.tournament_id = b.id
    ) e`,
  refs: (row) => [
    { entity: "game", oldId: row.game_id, as: "game", reason: "game_refused" },
    { entity: "user", oldId: row.organizer_id, as: "organizer user", reason: "organizer_refused" },
  ],
  lookup: (rows) => [
    slugsTaken(
      "tournaments",
      rows.map((r) => r.slug),
    ),
  ],
  classify(row, { newId, extra }) {
    const problems: Problem[] = [...slugProblems(row, extra.slugs_taken, "tournament"), ...nameProblems(row.name)];
    const status = mapWord(row.status, STATUSES);
    if (!status) problems.push({ reason: "unknown_status", detail: `status ${JSON.stringify(row.status)}` });
    if (row.max_participants < MIN_CAPACITY || row.max_participants > MAX_CAPACITY)
      problems.push({ reason: "capacity_out_of_range", detail: `${row.max_participants} places` });
    else if (row.confirmed + row.pending > row.max_participants)
      problems.push({
        reason: "over_capacity",
        detail: `${row.confirmed} confirmed + ${row.pending} pending entries for ${row.max_participants} places`,
      });
    return {
      problems,
      values: {
        slug: row.slug,
        name: row.name,
        status,
        capacity: row.max_participants,
        is_deleted: row.is_deleted,
        created_at: row.created_at,
        game_id: newId("game", row.game_id),
        organizer_id: newId("user", row.organizer_id),
        participant_type: row.solo_entries > 0 && row.team_entries === 0 ? "solo" : "team",
      },
    };
  },
  columns: `slug text, name text, status text, capacity integer, is_deleted boolean, created_at timestamptz,
    game_id integer, organizer_id integer, participant_type text`,
  // entries_count grows as the live registrations come across (registration batches).
  insert: `ins as (
    insert into tournaments (id, slug, name, game_id, organizer_id, format, participant_type, capacity, team_size,
      registration_opens_at, registration_closes_at, starts_at, status, is_deleted, entries_count, created_at, updated_at)
    overriding system value
    select map.new_id, acc.slug, acc.name, acc.game_id, acc.organizer_id, 'single_elimination', acc.participant_type,
      acc.capacity, g.team_size, acc.created_at, acc.created_at + interval '${IMPORTED_WINDOW}',
      acc.created_at + interval '${IMPORTED_WINDOW}', acc.status, acc.is_deleted, 0, acc.created_at, acc.created_at
    from map join acc using (old_id) join games g on g.id = acc.game_id
    returning 1
  )`,
});
