import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden } from "../shared/errors.ts";
import { requireAttachableImages } from "../uploads/attachable-images.ts";
import type { PostDto } from "./social.dto.ts";
import { toPost } from "./post-queries.ts";
import { loadTeamAccess, mayPost } from "./team-access.ts";

export interface CreatePostInput {
  teamSlug: string;
  /** Already sanitized to plain text by the edge (the text policy). */
  body: string;
  /** Upload ids, at most 4 (the edge bounds them). */
  imageIds: string[];
}

/**
 * A post on the team's feed by a member the team's post policy admits. Two statements (the
 * access check, the insert), three with images (each checked to be the author's upload); the team page is unaffected (it shows only the pinned post).
 */
export async function createPost(deps: DomainDeps, actor: Actor, input: CreatePostInput): Promise<PostDto> {
  const access = await loadTeamAccess(deps.db, actor.userId, input.teamSlug);
  if (!mayPost(access.actorRole, access.postPolicy, actor.isStaff))
    throw forbidden(
      access.actorRole == null
        ? "Only the team's members may post on its feed"
        : "The team's settings do not let your role post on its feed",
    );
  // Each image must be one the author uploaded (no statement when there are none).
  const images = await requireAttachableImages(
    deps.db,
    actor,
    input.imageIds.map((id, i) => ({ id, field: `imageIds.${i}` })),
  );
  const row = await deps.db
    .insertInto("team_posts")
    .values({ team_id: access.teamId, author_id: actor.userId, body: input.body, image_ids: input.imageIds })
    .returning(["id", "body", "image_ids", "pinned_at", "created_at"])
    .executeTakeFirstOrThrow();
  return toPost({
    ...row,
    team_slug: access.slug,
    team_name: access.name,
    author_id: actor.userId,
    author_username: actor.username,
    author_display_name: actor.displayName,
    images,
  });
}
