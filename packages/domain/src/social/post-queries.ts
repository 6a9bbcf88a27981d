import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { storedImageJson, toImage, type StoredImage } from "../uploads/image.dto.ts";
import { iso, type PostDto } from "./social.dto.ts";

/**
 * A post's images (of `team_posts as p`) in their order, as stored rows: a correlated subquery in
 * the statement that reads the post, each id found through the uploads primary key — never a
 * statement per post. Uploads are never deleted, so every id resolves.
 */
export const postImages = sql<
  StoredImage[]
>`(select coalesce(json_agg(${storedImageJson("up")} order by i.n), '[]'::json)
  from unnest(p.image_ids) with ordinality as i(id, n) join uploads up on up.id = i.id)`;

/** The columns every post list shows (post p, its team t, its author u). */
export const POST_COLUMNS = [
  "p.id",
  "p.body",
  "p.image_ids",
  "p.pinned_at",
  "p.created_at",
  "t.slug as team_slug",
  "t.name as team_name",
  "u.id as author_id",
  "u.username as author_username",
  "u.display_name as author_display_name",
  postImages.as("images"),
] as const;

export interface PostRow {
  id: number;
  body: string;
  image_ids: string[];
  pinned_at: Date | null;
  created_at: Date;
  team_slug: string;
  team_name: string;
  author_id: number;
  author_username: string;
  author_display_name: string;
  images: StoredImage[];
}

export function toPost(row: PostRow): PostDto {
  return {
    id: row.id,
    team: { slug: row.team_slug, name: row.team_name },
    author: { id: row.author_id, username: row.author_username, displayName: row.author_display_name },
    body: row.body,
    imageIds: row.image_ids,
    images: row.images.map(toImage),
    pinned: row.pinned_at != null,
    createdAt: iso(row.created_at),
  };
}

/** A keyset page of `limit` from `limit + 1` rows ordered by id descending. */
export function idPage<T extends { id: number }>(rows: T[], limit: number): { items: T[]; nextCursor: number | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

export type PostsDb = Kysely<Database>;
