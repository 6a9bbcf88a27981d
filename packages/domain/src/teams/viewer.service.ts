import { TEAM_ROLES, type TeamRole } from "@deltacrown/db";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { mayPost } from "../social/team-access.ts";
import { canGrantRole, canOnTeam } from "./permissions.ts";

/**
 * What the signed-in viewer may do on one team, decided by the same functions the writes check
 * (./permissions.ts canOnTeam, the post policy's mayPost), so a frontend shows buttons from the
 * server's answer instead of re-deriving the rules. The writes still check everything again, live.
 * Also whether the viewer follows the team (the Follow button). One statement: the team, the
 * viewer's membership and follow row, each by its key.
 */
export interface TeamViewerDto {
  role: TeamRole | null;
  can: {
    edit: boolean;
    invite: boolean;
    removeMembers: boolean;
    changeRoles: boolean;
    leave: boolean;
    transferOwnership: boolean;
    disband: boolean;
    /** Write on the feed (the team's post policy: settings.postPolicy). */
    post: boolean;
    /** Pin and unpin posts (the moderators: `deletePosts`). */
    pin: boolean;
    /** Delete other members' posts (authors may always delete their own). */
    deleteOthersPosts: boolean;
    changeSettings: boolean;
    /** Propose sponsors and see the team's proposals. */
    manageSponsors: boolean;
    approveSponsors: boolean;
    viewAnalytics: boolean;
  };
  following: boolean;
  /** Roles the viewer may hand out, and may change or remove a member from (never "owner"). */
  grantableRoles: TeamRole[];
}

export async function teamViewer(deps: DomainDeps, actor: Actor, slug: string): Promise<TeamViewerDto> {
  const row = await deps.db
    .selectFrom("teams as t")
    .leftJoin("team_memberships as m", (j) =>
      j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
    )
    // team_follows' primary key (team_id, user_id): one index probe.
    .leftJoin("team_follows as f", (j) => j.onRef("f.team_id", "=", "t.id").on("f.user_id", "=", actor.userId))
    .select(["t.id", "m.role", "t.post_policy", "f.user_id as follower"])
    .where("t.slug", "=", slug)
    .where("t.disbanded_at", "is", null)
    .executeTakeFirst();
  if (!row) throw notFound("Team", "slug");
  const role = row.role ?? null;
  const may = (action: Parameters<typeof canOnTeam>[1]) => canOnTeam(role, action, actor.isStaff);
  return {
    role,
    can: {
      edit: may("editProfile"),
      invite: may("inviteMembers"),
      removeMembers: may("removeMembers"),
      changeRoles: may("changeRoles"),
      // leaveTeam: any member but the owner, who must transfer first.
      leave: role !== null && role !== "owner",
      transferOwnership: may("transferOwnership"),
      disband: may("disband"),
      post: mayPost(role, row.post_policy, actor.isStaff),
      // pinPost and deletePost check the same action.
      pin: may("deletePosts"),
      deleteOthersPosts: may("deletePosts"),
      changeSettings: may("changeSettings"),
      manageSponsors: may("manageSponsors"),
      approveSponsors: may("approveSponsors"),
      viewAnalytics: may("viewAnalytics"),
    },
    following: row.follower != null,
    grantableRoles: TEAM_ROLES.filter((r) => canGrantRole(role, r, actor.isStaff)),
  };
}
