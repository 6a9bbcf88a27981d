import type { TeamRole } from "@deltacrown/db";

/**
 * The team role matrix (docs/architecture.md, "Roles"), the one place it is written. Checked
 * live against the database on every write — the role passed in must come from a query in that
 * same call.
 */
export const TEAM_PERMISSIONS = {
  editProfile: ["owner", "manager"],
  changeSettings: ["owner"],
  approveSponsors: ["owner"],
  inviteMembers: ["owner", "manager", "captain"],
  removeMembers: ["owner", "manager"],
  changeRoles: ["owner", "manager"],
  registerTournaments: ["owner", "manager", "captain"],
  reportResults: ["owner", "manager", "captain"],
  manageSponsors: ["owner", "manager"],
  managePromotions: ["owner", "manager"],
  /** Moderation of the feed: delete anyone's post (authors delete their own), pin a post. */
  deletePosts: ["owner", "manager", "captain"],
  viewAnalytics: ["owner", "manager", "captain", "coach"],
  disband: ["owner"],
  transferOwnership: ["owner"],
} as const satisfies Record<string, readonly TeamRole[]>;

export type TeamAction = keyof typeof TEAM_PERMISSIONS;

/** Staff may do everything except transfer a team's ownership. */
const STAFF_EXCLUDED: readonly TeamAction[] = ["transferOwnership"];

/** Higher rank = more authority; roles can only be granted or changed below one's own. */
export const ROLE_RANK: Record<TeamRole, number> = {
  owner: 6,
  manager: 5,
  captain: 4,
  coach: 3,
  player: 2,
  substitute: 1,
};

export function canOnTeam(role: TeamRole | null | undefined, action: TeamAction, isStaff: boolean): boolean {
  if (isStaff && !STAFF_EXCLUDED.includes(action)) return true;
  return role != null && (TEAM_PERMISSIONS[action] as readonly TeamRole[]).includes(role);
}

/** May an actor with `actorRole` hand out (or change someone to/from) `targetRole`? */
export function canGrantRole(actorRole: TeamRole | null | undefined, targetRole: TeamRole, isStaff: boolean): boolean {
  if (targetRole === "owner") return false; // ownership moves only by transfer
  if (isStaff) return true;
  return actorRole != null && ROLE_RANK[targetRole] < ROLE_RANK[actorRole];
}
