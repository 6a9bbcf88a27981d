import { sql } from "kysely";
import type { SponsorStatus } from "@deltacrown/db";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { conflict, forbidden, notFound } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { canOnTeam } from "../teams/permissions.ts";
import type { TeamSponsorDto } from "./social.dto.ts";
import { SPONSOR_COLUMNS, toSponsor } from "./sponsor-queries.ts";

/**
 * The owner approves a proposed sponsor (`approveSponsors`): it becomes active at once when its
 * window has begun (and the team page, which lists active sponsors, is invalidated), else
 * `approved` until the sponsors job activates it. The sponsor row is locked so two approvals
 * cannot both pass the "still proposed" check. Three statements and the audit job.
 */
export async function approveSponsor(deps: DomainDeps, actor: Actor, sponsorId: number): Promise<TeamSponsorDto> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const found = await trx
      .selectFrom("team_sponsors as s")
      .innerJoin("teams as t", "t.id", "s.team_id")
      .leftJoin("team_memberships as m", (j) =>
        j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
      )
      .select(["s.id", "s.status", "t.slug", "m.role"])
      .where("s.id", "=", sponsorId)
      .where("t.disbanded_at", "is", null)
      .forUpdate("s")
      .executeTakeFirst();
    if (!found) throw notFound("Sponsor", "sponsorId");
    if (!canOnTeam(found.role, "approveSponsors", actor.isStaff))
      throw forbidden("Only the team's owner may approve sponsors");
    if (found.status !== "proposed") throw conflict("This sponsor is not waiting for approval", "NOT_PENDING");
    const row = await trx
      .updateTable("team_sponsors as s")
      .set({
        approved_by: actor.userId,
        status: sql<SponsorStatus>`case when s.ends_at <= now() then 'ended' when s.starts_at <= now() then 'active' else 'approved' end`,
      })
      .where("s.id", "=", sponsorId)
      .returning(SPONSOR_COLUMNS)
      .executeTakeFirstOrThrow();
    await audit(trx, {
      actorId: actor.userId,
      action: "team.sponsor_approved",
      entityType: "team",
      entityId: found.slug,
      data: { sponsorId, status: row.status },
    });
    if (row.status === "active")
      afterCommit(() => deps.cache.invalidate("teamDetail", found.slug, { searchRow: "unchanged" }));
    return toSponsor(row);
  });
}
