import { ORG_ROLES } from "@deltacrown/db";
import { z } from "zod";
import { idOf, isoDate, limit, pageOf, slug, username } from "./common.ts";
import { freeText, plainText, webUrl } from "./text.ts";

export const orgRole = z.enum(ORG_ROLES);
/** Roles that can be handed out; ownership is never granted by a role change. */
export const grantableOrgRole = z.enum(["admin", "manager", "member"]);

/** A web page a visitor opens: https or http. */
const website = webUrl(["https", "http"], 200);
const orgName = plainText(2, 80);
const orgDescription = freeText(2000);

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
  name: orgName,
  slug: slug.optional(),
  description: orgDescription.optional(),
  website: website.optional(),
});

export const updateOrgInput = z
  .object({
    slug,
    name: orgName.optional(),
    description: orgDescription.optional(),
    website: website.nullable().optional(),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined || v.website !== undefined, {
    message: "change at least one of name, description, website",
    path: ["name"],
  });

export const orgSlugInput = z.object({ slug });
export const orgMembersInput = z.object({ slug, cursor: idOf("organization_memberships").optional(), limit });
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
  teams: z
    .array(
      z.object({
        slug: z.string(),
        name: z.string(),
        game: z.object({ slug: z.string(), name: z.string() }),
        memberCount: z.number(),
        rank: z.number().nullable(),
        tier: z.string().nullable(),
        currentCp: z.number().nullable(),
      }),
    )
    // The 50 best-ranked; teamCount and teamsPerGame count them all.
    .max(50),
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
