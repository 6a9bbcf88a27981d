import { sql } from "kysely";
import { defineSpec } from "../spec.ts";
import { caseTwins, nameProblems, slugProblems } from "./common.ts";

interface GameRow {
  id: string;
  name: string;
  slug: string;
  slug_dup_of: string | null;
}

/** The old schema has no short name, genre or team size (recorded as a note on each game). */
const DEFAULT_GENRE = "unspecified";
const DEFAULT_TEAM_SIZE = 5;

export const games = defineSpec<GameRow>({
  entity: "game",
  read: (afterId, limit) => sql<GameRow>`
    with b as (select * from teams_game where id > ${afterId}::bigint order by id limit ${limit})
    select b.id::text as id, b.name, b.slug, nullif(sd.first_id, b.id)::text as slug_dup_of
    from b ${caseTwins("teams_game", "slug", "sd")}`,
  refs: () => [],
  lookup: (rows) => [
    // A game DeltaCrown already has (same slug) is linked, not inserted twice.
    sql`(select coalesce(json_object_agg(lower(slug::text), id), '{}'::json) from games
      where slug = any(${rows.map((r) => r.slug)}::citext[])) as existing`,
  ],
  classify(row, { extra }) {
    const existing = (extra.existing as Record<string, number>)[row.slug.toLowerCase()];
    const problems = [...slugProblems(row, [], "game"), ...nameProblems(row.name)];
    return {
      problems,
      linkId: existing,
      notes: [
        existing === undefined
          ? {
              note: "game_defaults",
              detail: `short name ${JSON.stringify(row.name)}, genre ${DEFAULT_GENRE}, team size ${DEFAULT_TEAM_SIZE}`,
            }
          : { note: "game_linked", detail: `DeltaCrown game ${existing} (${row.slug})` },
      ],
      values: { slug: row.slug, name: row.name },
    };
  },
  columns: "slug text, name text",
  insert: `ins as (
    insert into games (id, slug, name, short_name, genre, team_size)
    overriding system value
    select map.new_id, acc.slug, acc.name, acc.name, '${DEFAULT_GENRE}', ${DEFAULT_TEAM_SIZE}
    from map join acc using (old_id)
    where not map.linked
    returning 1
  )`,
});
