import { sql } from "kysely";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { canOnTeam } from "../teams/permissions.ts";
import { invalidateAndAnnounce } from "../teams/roster-events.ts";
import type { TeamDetailDto } from "../teams/teams.dto.ts";
import { teamBySlug } from "../teams/teams.service.ts";
import { requireAttachableImages } from "./attachable-images.ts";

export interface SetTeamImagesInput {
  slug: string;
  /** An upload of the caller's to show as the logo; null removes it; absent leaves it. */
  logoUploadId?: string | null | undefined;
  bannerUploadId?: string | null | undefined;
}

/**
 * Sets a team's logo and/or banner (the team matrix's `editProfile`: owner and managers, read live
 * in the same statement that finds the team). Each image must be one the caller uploaded. The
 * cached team page is dropped after commit and the team's live listeners told.
 */
export async function setTeamImages(deps: DomainDeps, actor: Actor, input: SetTeamImagesInput): Promise<TeamDetailDto> {
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const team = await trx
      .selectFrom("teams as t")
      .leftJoin("team_memberships as m", (j) =>
        j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
      )
      .select(["t.id", "t.slug", "m.role"])
      .where("t.slug", "=", input.slug)
      .where("t.disbanded_at", "is", null)
      .executeTakeFirst();
    if (!team) throw notFound("Team", "slug");
    if (!canOnTeam(team.role, "editProfile", actor.isStaff))
      throw forbidden("Only the team's owner and managers may change its logo and banner");
    const refs = [
      ...(input.logoUploadId ? [{ id: input.logoUploadId, field: "logoUploadId" }] : []),
      ...(input.bannerUploadId ? [{ id: input.bannerUploadId, field: "bannerUploadId" }] : []),
    ];
    await requireAttachableImages(trx, actor, refs);
    await trx
      .updateTable("teams")
      .set({
        ...(input.logoUploadId !== undefined ? { logo_upload_id: input.logoUploadId } : {}),
        ...(input.bannerUploadId !== undefined ? { banner_upload_id: input.bannerUploadId } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where("id", "=", team.id)
      .execute();
    await audit(trx, {
      actorId: actor.userId,
      action: "team.images_changed",
      entityType: "team",
      entityId: String(team.id),
      data: { logoUploadId: input.logoUploadId ?? null, bannerUploadId: input.bannerUploadId ?? null },
    });
    // No team search row shows the images: the cached search pages stay.
    afterCommit(() =>
      invalidateAndAnnounce(
        deps,
        [["teamDetail", team.slug]],
        { id: team.id, slug: team.slug },
        { searchRow: "unchanged" },
      ),
    );
  });
  return teamBySlug(deps, input.slug, () => Promise.resolve(actor));
}
