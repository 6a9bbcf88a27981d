import type { OrgRole } from "@deltacrown/db";

/**
 * The organization role matrix (docs/architecture.md, "Roles"): owner (all, delete), admin
 * (settings, members, teams), manager (the org's teams), member (read the dashboard). Read live,
 * never cached.
 */
export const ORG_PERMISSIONS = {
  updateSettings: ["owner", "admin"],
  manageMembers: ["owner", "admin"],
  manageTeams: ["owner", "admin", "manager"],
  readDashboard: ["owner", "admin", "manager", "member"],
  delete: ["owner"],
} as const satisfies Record<string, readonly OrgRole[]>;

export type OrgAction = keyof typeof ORG_PERMISSIONS;

/** Staff may do everything but delete an organization (owner only). */
const STAFF_EXCLUDED: readonly OrgAction[] = ["delete"];

export const ORG_ROLE_RANK: Record<OrgRole, number> = { owner: 4, admin: 3, manager: 2, member: 1 };

export function canOnOrg(role: OrgRole | null | undefined, action: OrgAction, isStaff: boolean): boolean {
  if (isStaff && !STAFF_EXCLUDED.includes(action)) return true;
  return role != null && (ORG_PERMISSIONS[action] as readonly OrgRole[]).includes(role);
}

/** Org roles, like team roles, are granted or changed only below one's own; ownership never. */
export function canGrantOrgRole(actorRole: OrgRole | null | undefined, role: OrgRole, isStaff: boolean): boolean {
  if (role === "owner") return false;
  if (isStaff) return true;
  return actorRole != null && ORG_ROLE_RANK[role] < ORG_ROLE_RANK[actorRole];
}
