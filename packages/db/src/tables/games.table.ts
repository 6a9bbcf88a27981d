import type { Generated, Insertable, Selectable } from "kysely";

export interface GamesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  short_name: string;
  genre: string;
  team_size: number;
  platforms: Generated<string[]>;
  created_at: Generated<Date>;
}
export type Game = Selectable<GamesTable>;
export type NewGame = Insertable<GamesTable>;
