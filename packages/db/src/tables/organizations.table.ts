import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export const ORG_ROLES = ["owner", "admin", "manager", "member"] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  website: string | null;
  owner_id: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;

export interface OrganizationMembershipsTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number;
  role: OrgRole;
  created_at: Generated<Date>;
}
export type OrganizationMembership = Selectable<OrganizationMembershipsTable>;
