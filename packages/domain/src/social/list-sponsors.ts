import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden } from "../shared/errors.ts";
import type { Page } from "../teams/teams.dto.ts";
import { canOnTeam } from "../teams/permissions.ts";
import type { TeamSponsorDto } from "./social.dto.ts";
import { SPONSOR_COLUMNS, toSponsor } from "./sponsor-queries.ts";
import { loadTeamAccess } from "./team-access.ts";

export interface ListSponsorsInput {
  teamSlug: string;
  cursor?: number | undefined;
  limit: number;
}

/**
 * Every sponsor of a team in any state (proposed ones included), newest first, for those who
 * manage or approve sponsors; the public sees active ones on the team page. Two statements.
 */
export async function listSponsors(
  deps: DomainDeps,
  actor: Actor,
  input: ListSponsorsInput,
): Promise<Page<TeamSponsorDto>> {
  const access = await loadTeamAccess(deps.db, actor.userId, input.teamSlug);
  if (
    !canOnTeam(access.actorRole, "manageSponsors", actor.isStaff) &&
    !canOnTeam(access.actorRole, "approveSponsors", actor.isStaff)
  )
    throw forbidden("Only the team's owner and managers may see its sponsor proposals");
  const rows = await deps.db
    .selectFrom("team_sponsors as s")
    .select(SPONSOR_COLUMNS)
    .where("s.team_id", "=", access.teamId)
    .$if(input.cursor !== undefined, (q) => q.where("s.id", "<", input.cursor ?? 0))
    .orderBy("s.id", "desc")
    .limit(input.limit + 1)
    .execute();
  const items = rows.slice(0, input.limit).map(toSponsor);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}
