import type { Actor, DomainDeps } from "../shared/deps.ts";
import { badRequest } from "../shared/errors.ts";
import { requireAttachableImages } from "../uploads/attachable-images.ts";
import type { TeamSponsorDto } from "./social.dto.ts";
import { toSponsor } from "./sponsor-queries.ts";
import { loadTeamAccess, requireTeamAction } from "./team-access.ts";

export interface ProposeSponsorInput {
  teamSlug: string;
  name: string;
  /** An https: URL (the text policy's URL rule, checked at the edge). */
  linkUrl: string;
  logoUploadId?: string | undefined;
  startsAt: Date;
  endsAt: Date;
}

/**
 * A sponsor proposed by the team's sponsor managers (`manageSponsors`), waiting for the owner's
 * approval (`approveSponsors`). Two statements (three with a logo, checked to be the proposer's upload); nothing shows on the team page yet.
 */
export async function proposeSponsor(
  deps: DomainDeps,
  actor: Actor,
  input: ProposeSponsorInput,
): Promise<TeamSponsorDto> {
  if (input.endsAt <= input.startsAt)
    throw badRequest("The sponsorship must end after it starts", "BAD_WINDOW", "endsAt");
  const access = await loadTeamAccess(deps.db, actor.userId, input.teamSlug);
  requireTeamAction(access, actor, "manageSponsors", "Only the team's owner and managers may propose sponsors");
  const [logo] = input.logoUploadId
    ? await requireAttachableImages(deps.db, actor, [{ id: input.logoUploadId, field: "logoUploadId" }])
    : [];
  const row = await deps.db
    .insertInto("team_sponsors")
    .values({
      team_id: access.teamId,
      name: input.name,
      link_url: input.linkUrl,
      logo_upload_id: input.logoUploadId ?? null,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      proposed_by: actor.userId,
    })
    .returning(["id", "name", "link_url", "logo_upload_id", "status", "starts_at", "ends_at"])
    .executeTakeFirstOrThrow();
  return toSponsor({ ...row, logo: logo ?? null });
}
