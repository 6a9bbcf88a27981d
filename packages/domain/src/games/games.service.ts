import { fillDb, type DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";

export interface GameDto {
  id: number;
  slug: string;
  name: string;
  shortName: string;
  genre: string;
  teamSize: number;
  platforms: string[];
}

const columns = ["id", "slug", "name", "short_name", "genre", "team_size", "platforms"] as const;

function toDto(g: {
  id: number;
  slug: string;
  name: string;
  short_name: string;
  genre: string;
  team_size: number;
  platforms: string[];
}): GameDto {
  return {
    id: g.id,
    slug: g.slug,
    name: g.name,
    shortName: g.short_name,
    genre: g.genre,
    teamSize: g.team_size,
    platforms: g.platforms,
  };
}

/** All games, cached 1 h (game metadata changes only by operator action). */
export function listGames(deps: DomainDeps): Promise<GameDto[]> {
  return deps.cache.getOrLoad("gameList", "all", async () => {
    const rows = await fillDb(deps).selectFrom("games").select(columns).orderBy("name").execute();
    return rows.map(toDto);
  });
}

export async function gameBySlug(deps: DomainDeps, slug: string): Promise<GameDto> {
  const game = await deps.cache.getOrLoad("game", slug, async () => {
    const row = await fillDb(deps).selectFrom("games").select(columns).where("slug", "=", slug).executeTakeFirst();
    return row && toDto(row);
  });
  if (!game) throw notFound("Game", "slug");
  return game;
}
