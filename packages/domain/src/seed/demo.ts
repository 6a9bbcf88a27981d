import type { Database, TeamRole } from "@deltacrown/db";
import type { Kysely } from "kysely";
import { demoGames } from "../games/demo-games.ts";
import { hashPassword } from "../identity/password.ts";

export const DEMO_PASSWORD = "deltacrown-demo";

const players = [
  "alice",
  "bruno",
  "chen",
  "dmitri",
  "elif",
  "fatima",
  "gus",
  "hana",
  "ivan",
  "jules",
  "kofi",
  "lena",
  "mateo",
  "nadia",
  "omar",
  "priya",
  "quinn",
  "rosa",
  "sami",
  "tariq",
];

const demoTeams: {
  name: string;
  tag: string;
  game: string;
  owner: string;
  members: [string, TeamRole][];
  cp: number;
  tier: string;
}[] = [
  {
    name: "Crimson Crown",
    tag: "CRWN",
    game: "valorant",
    owner: "alice",
    members: [
      ["bruno", "captain"],
      ["chen", "player"],
      ["dmitri", "player"],
      ["elif", "player"],
      ["fatima", "coach"],
    ],
    cp: 2480,
    tier: "diamond",
  },
  {
    name: "Night Owls",
    tag: "OWL",
    game: "valorant",
    owner: "gus",
    members: [
      ["hana", "manager"],
      ["ivan", "player"],
      ["jules", "player"],
    ],
    cp: 1320,
    tier: "gold",
  },
  {
    name: "Delta Force Five",
    tag: "DF5",
    game: "cs2",
    owner: "kofi",
    members: [
      ["lena", "captain"],
      ["mateo", "player"],
      ["nadia", "player"],
      ["omar", "substitute"],
    ],
    cp: 3150,
    tier: "crown",
  },
  {
    name: "Lotus Mid",
    tag: "LOTS",
    game: "dota2",
    owner: "priya",
    members: [
      ["quinn", "player"],
      ["rosa", "player"],
    ],
    cp: 640,
    tier: "silver",
  },
  {
    name: "Shutter Speed",
    tag: "SHTR",
    game: "rocket-league",
    owner: "sami",
    members: [
      ["tariq", "player"],
      ["alice", "player"],
    ],
    cp: 980,
    tier: "gold",
  },
];

/**
 * Seeds games, twenty players (password: DEMO_PASSWORD), one organization and five teams with
 * rosters and rankings. Idempotent: does nothing when users exist already.
 */
export async function seedDemo(db: Kysely<Database>, scryptCost: number): Promise<{ seeded: boolean }> {
  const existing = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  const passwordHash = await hashPassword(DEMO_PASSWORD, scryptCost);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("games")
      .values(demoGames)
      .onConflict((oc) => oc.column("slug").doNothing())
      .execute();
    const games = new Map((await trx.selectFrom("games").select(["id", "slug"]).execute()).map((g) => [g.slug, g.id]));
    const users = await trx
      .insertInto("users")
      .values(
        players.map((u) => ({
          username: u,
          email: `${u}@demo.deltacrown.gg`,
          display_name: u[0]!.toUpperCase() + u.slice(1),
          password_hash: passwordHash,
        })),
      )
      .returning(["id", "username"])
      .execute();
    const userId = new Map(users.map((u) => [u.username, u.id]));
    const id = (name: string) => userId.get(name) ?? 0;
    const org = await trx
      .insertInto("organizations")
      .values({
        slug: "crown-esports",
        name: "Crown Esports",
        description: "Home of Crimson Crown and Night Owls",
        owner_id: id("alice"),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("organization_memberships")
      .values([
        { organization_id: org.id, user_id: id("alice"), role: "owner" },
        { organization_id: org.id, user_id: id("gus"), role: "manager" },
      ])
      .execute();
    for (const t of demoTeams) {
      const gameId = games.get(t.game) ?? 0;
      const team = await trx
        .insertInto("teams")
        .values({
          slug: t.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
          name: t.name,
          tag: t.tag,
          game_id: gameId,
          organization_id: t.game === "valorant" ? org.id : null,
          owner_id: id(t.owner),
          member_count: t.members.length + 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("team_memberships")
        .values([
          { team_id: team.id, user_id: id(t.owner), role: "owner" },
          ...t.members.map(([u, role]) => ({ team_id: team.id, user_id: id(u), role })),
        ])
        .execute();
      await trx
        .insertInto("team_rankings")
        .values({ team_id: team.id, game_id: gameId, current_cp: t.cp, tier: t.tier })
        .execute();
    }
  });
  return { seeded: true };
}
