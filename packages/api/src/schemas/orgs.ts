import { ORG_ROLES } from "@deltacrown/db";
import { z } from "zod";
import { cursor, isoDate, limit, pageOf, slug, username } from "./common.ts";

export const orgRole = z.enum(ORG_ROLES);
/** Roles that can be handed out; ownership is never granted by a role change. */
export const grantableOrgRole = z.enum(["admin", "manager", "member"]);

const website = z.string().trim().url().max(200);

export const org = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  website: z.string().nullable(),
  owner: z.object({ id: z.number(), username: z.string(), displayName: z.string() }),
  memberCount: z.number(),
  createdAt: isoDate,
});

export const createOrgInput = z.object({
  name: z.string().trim().min(2).max(80),
  slug: slug.optional(),
  description: z.string().max(2000).optional(),
  website: website.optional(),
});

export const updateOrgInput = z
  .object({
    slug,
    name: z.string().trim().min(2).max(80).optional(),
    description: z.string().max(2000).optional(),
    website: website.nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined || v.website !== undefined, {
    message: "change at least one of name, description, website",
    path: ["name"],
  });

export const orgSlugInput = z.object({ slug });
export const orgMembersInput = z.object({ slug, cursor, limit });
export const orgMemberInput = z.object({ slug, username });
export const orgMemberRoleInput = z.object({ slug, username, role: grantableOrgRole });
export const addOrgMemberInput = z.object({ slug, username, role: grantableOrgRole.default("member") });

export const orgMember = z.object({
  id: z.number(),
  user: z.object({ id: z.number(), username: z.string(), displayName: z.string() }),
  role: orgRole,
  joinedAt: isoDate,
});
export const orgMemberPage = pageOf(orgMember);

export const orgDashboard = z.object({
  organization: z.object({ id: z.number(), slug: z.string(), name: z.string() }),
  teamCount: z.number(),
  memberCount: z.number(),
  teamsPerGame: z.array(z.object({ gameSlug: z.string(), gameName: z.string(), teams: z.number() })),
  teams: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      game: z.object({ slug: z.string(), name: z.string() }),
      memberCount: z.number(),
      rank: z.number().nullable(),
      tier: z.string().nullable(),
      currentCp: z.number().nullable(),
    }),
  ),
  recentActivity: z.array(
    z.object({
      id: z.string(),
      action: z.string(),
      entityType: z.string(),
      entityId: z.string(),
      actor: z.string().nullable(),
      at: isoDate,
    }),
  ),
  generatedAt: isoDate,
});
