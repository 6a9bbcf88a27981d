import type { PostPolicy, Visibility } from "@deltacrown/db";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { withTransaction } from "../shared/transaction.ts";
import type { TeamSettingsDto } from "./social.dto.ts";
import { loadTeamAccess, requireTeamAction } from "./team-access.ts";

export interface UpdateSettingsInput {
  teamSlug: string;
  rosterVisibility?: Visibility | undefined;
  feedVisibility?: Visibility | undefined;
  postPolicy?: PostPolicy | undefined;
  acceptsJoinRequests?: boolean | undefined;
}

/**
 * The team's social settings (`changeSettings`): roster and feed visibility, who may post,
 * whether it accepts join requests. The team page shows them (and hides a members-only roster),
 * so it is invalidated after commit. Access, update and the audit job: three statements.
 */
export async function updateSettings(
  deps: DomainDeps,
  actor: Actor,
  input: UpdateSettingsInput,
): Promise<TeamSettingsDto> {
  return withTransaction(deps.db, async (trx, afterCommit) => {
    const access = await loadTeamAccess(trx, actor.userId, input.teamSlug, { lock: true });
    requireTeamAction(access, actor, "changeSettings", "Only the team's owner may change its settings");
    const row = await trx
      .updateTable("teams")
      .set({
        ...(input.rosterVisibility !== undefined ? { roster_visibility: input.rosterVisibility } : {}),
        ...(input.feedVisibility !== undefined ? { feed_visibility: input.feedVisibility } : {}),
        ...(input.postPolicy !== undefined ? { post_policy: input.postPolicy } : {}),
        ...(input.acceptsJoinRequests !== undefined ? { accepts_join_requests: input.acceptsJoinRequests } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", access.teamId)
      .returning(["roster_visibility", "feed_visibility", "post_policy", "accepts_join_requests"])
      .executeTakeFirstOrThrow();
    const settings: TeamSettingsDto = {
      rosterVisibility: row.roster_visibility,
      feedVisibility: row.feed_visibility,
      postPolicy: row.post_policy,
      acceptsJoinRequests: row.accepts_join_requests,
    };
    await audit(trx, {
      actorId: actor.userId,
      action: "team.settings_changed",
      entityType: "team",
      entityId: String(access.teamId),
      data: { ...settings },
    });
    afterCommit(() => deps.cache.invalidate("teamDetail", access.slug, { searchRow: "unchanged" }));
    return settings;
  });
}
