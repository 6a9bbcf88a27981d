import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { demoGames } from "../../src/games/demo-games.ts";

let seq = 0;

/** Games, one owner, and `cps.length` teams of one game with their ranking rows at the given CP. */
export async function seedTeams(db: Kysely<Database>, cps: readonly number[], gameSlug = "valorant") {
  const games = await db.selectFrom("games").select(["id", "slug"]).execute();
  if (games.length === 0) await db.insertInto("games").values(demoGames).execute();
  const game = await db.selectFrom("games").select("id").where("slug", "=", gameSlug).executeTakeFirstOrThrow();
  const name = `rk${process.pid % 1000}_${++seq}`;
  const owner = await db
    .insertInto("users")
    .values({ username: name, email: `${name}@test.dc`, display_name: name, password_hash: "x" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const { rows } = await sql<{ id: number; slug: string }>`
    with t as (
      insert into teams (slug, name, game_id, owner_id, member_count)
      select ${name} || '-' || i, 'Team ' || ${name} || ' ' || i, ${game.id}, ${owner.id}, 1
      from generate_series(1, ${cps.length}::int) i
      returning id, slug
    ), r as (
      insert into team_rankings (team_id, game_id, current_cp)
      select t.id, ${game.id}, (${[...cps]}::int[])[(regexp_match(t.slug, '-(\\d+)$'))[1]::int] from t
    )
    select id, slug from t order by id`.execute(db);
  return { gameId: game.id, ownerId: owner.id, teams: rows };
}
