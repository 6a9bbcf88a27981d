import { TEAM_ROLES, type TeamRole } from "@deltacrown/db";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { notFound } from "../shared/errors.ts";
import { canGrantRole, canOnTeam } from "./permissions.ts";

/**
 * What the signed-in viewer may do on one team, decided by the same role matrix the writes check
 * (./permissions.ts), so a frontend shows buttons from the server's answer instead of re-deriving
 * the rules. The writes still check everything again, live, under a row lock.
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
  };
  /** Roles the viewer may hand out, and may change or remove a member from (never "owner"). */
  grantableRoles: TeamRole[];
}

export async function teamViewer(deps: DomainDeps, actor: Actor, slug: string): Promise<TeamViewerDto> {
  const row = await deps.db
    .selectFrom("teams as t")
    .leftJoin("team_memberships as m", (j) =>
      j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
    )
    .select(["t.id", "m.role"])
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
    },
    grantableRoles: TEAM_ROLES.filter((r) => canGrantRole(role, r, actor.isStaff)),
  };
}
