import { z } from "zod";
import {
  cursorPageOf,
  idOf,
  inviteRole,
  isoDate,
  limit,
  pageOf,
  slug,
  teamRole,
  timeIdCursor,
  username,
} from "./common.ts";
import { teamSocial } from "./team-social.ts";
import { freeText, plainText } from "./text.ts";
import { uploadId } from "./uploads.ts";

const teamName = plainText(2, 64);
const teamTag = plainText(1, 8);
const teamDescription = freeText(2000);

export const teamDetail = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  tag: z.string().nullable(),
  description: z.string(),
  memberCount: z.number(),
  createdAt: isoDate,
  game: z.object({ id: z.number(), slug: z.string(), name: z.string() }),
  organization: z.object({ id: z.number(), slug: z.string(), name: z.string() }).nullable(),
  owner: z.object({ id: z.number(), username: z.string(), displayName: z.string() }),
  /** Paths on the API's origin (GET /media/…), or null. */
  logoUrl: z.string().nullable(),
  bannerUrl: z.string().nullable(),
  ranking: z
    .object({ currentCp: z.number(), tier: z.string(), hotStreak: z.number(), rank: z.number().nullable() })
    .nullable(),
  roster: z.array(
    z.object({ userId: z.number(), username: z.string(), displayName: z.string(), role: teamRole, joinedAt: isoDate }),
  ),
  ...teamSocial,
});

export const teamSummary = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  tag: z.string().nullable(),
  memberCount: z.number(),
  game: z.object({ slug: z.string(), name: z.string() }),
  organization: z.object({ slug: z.string(), name: z.string() }).nullable(),
  tier: z.string().nullable(),
  currentCp: z.number().nullable(),
});

export const createTeamInput = z.object({
  name: teamName,
  slug: slug.optional(),
  tag: teamTag.optional(),
  description: teamDescription.optional(),
  gameSlug: slug,
  organizationSlug: slug.optional(),
});

export const searchTeamsInput = z.object({
  gameSlug: slug.optional(),
  organizationSlug: slug.optional(),
  tier: plainText(1, 32).optional(),
  namePrefix: plainText(1, 64).optional(),
  cursor: idOf("teams").optional(),
  limit,
});

/** Discovery: a game's first page starts with its promoted teams, marked. */
export const teamPage = pageOf(teamSummary.extend({ promoted: z.boolean() }));
export const myTeam = teamSummary.extend({ role: teamRole, joinedAt: isoDate });
export const myTeamsInput = z.object({ cursor: timeIdCursor.optional(), limit }).default({ limit: 20 });
export const myTeamPage = cursorPageOf(myTeam);

export const invite = z.object({
  id: z.number(),
  role: inviteRole,
  status: z.string(),
  createdAt: isoDate,
  expiresAt: isoDate,
  team: z.object({ id: z.number(), slug: z.string(), name: z.string() }),
  invitee: z.object({ id: z.number(), username: z.string() }),
  inviter: z.object({ id: z.number(), username: z.string() }),
});

export const sendInviteInput = z.object({ teamSlug: slug, username, role: inviteRole.default("player") });
export const inviteIdInput = z.object({ inviteId: idOf("team_invites") });
export const myInvitesInput = z.object({ cursor: idOf("team_invites").optional(), limit }).default({ limit: 20 });
export const invitePage = pageOf(invite);

export const okResult = z.object({ ok: z.literal(true) });
export const teamSlugInput = z.object({ slug });
export const updateTeamInput = z
  .object({
    slug,
    name: teamName.optional(),
    tag: teamTag.nullable().optional(),
    description: teamDescription.optional(),
  })
  .refine((v) => v.name !== undefined || v.tag !== undefined || v.description !== undefined, {
    message: "change at least one of name, tag, description",
    path: ["name"],
  });
export const teamMemberInput = z.object({ slug, username });
export const changeRoleInput = z.object({ slug, username, role: inviteRole });

/** What the viewer may do on a team (teams.viewer): buttons come from this, writes still check. */
export const teamViewer = z.object({
  role: teamRole.nullable(),
  can: z.object({
    edit: z.boolean(),
    invite: z.boolean(),
    removeMembers: z.boolean(),
    changeRoles: z.boolean(),
    leave: z.boolean(),
    transferOwnership: z.boolean(),
    disband: z.boolean(),
    /** The social side: write on the feed (its post policy), pin, delete others' posts, settings, sponsors, analytics. */
    post: z.boolean(),
    pin: z.boolean(),
    deleteOthersPosts: z.boolean(),
    changeSettings: z.boolean(),
    manageSponsors: z.boolean(),
    approveSponsors: z.boolean(),
    viewAnalytics: z.boolean(),
  }),
  grantableRoles: z.array(teamRole),
  /** Whether the viewer follows the team. */
  following: z.boolean(),
});

/** Logo and banner: an upload id of the caller's to show, null to remove, absent to leave as is. */
export const setTeamImagesInput = z
  .object({ slug, logoUploadId: uploadId.nullable().optional(), bannerUploadId: uploadId.nullable().optional() })
  .refine((v) => v.logoUploadId !== undefined || v.bannerUploadId !== undefined, {
    message: "name a logo or a banner",
    path: ["logoUploadId"],
  });
