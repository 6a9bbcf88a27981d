import type { RouterOutputs, Upload } from "@deltacrown/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { ImageInput } from "../components/image-input.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { FormError } from "../components/status.tsx";
import { UploadedImage } from "../components/uploaded-image.tsx";
import { fieldMessages, formMessage, messageOf } from "../lib/errors.ts";
import { teamFeedQuery } from "../lib/social-queries.ts";
import { useTRPC } from "../lib/trpc.ts";

export type Post = RouterOutputs["posts"]["teamFeed"]["items"][number];

/** The server's cap on a post's images (createPostInput). */
const MAX_IMAGES = 4;

/** After a post is written, deleted or (un)pinned: the feeds and the team page (its pinned post). */
export function useRefreshPosts(teamSlug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.posts.teamFeed.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.posts.homeFeed.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.teams.bySlug.queryKey({ slug: teamSlug }) }),
    ]);
}

/**
 * What the viewer may do on a post's team, as `teams.viewer` answers it (the writers' own rules;
 * the server still checks): pin, delete others' posts. Authors may always delete their own.
 */
export interface PostViewer {
  userId: number | null;
  canPin: boolean;
  canDeleteOthers: boolean;
}

export function PostCard({ post, viewer, showTeam }: { post: Post; viewer: PostViewer; showTeam?: boolean }) {
  const mine = viewer.userId === post.author.id;
  return (
    <li className="card post" data-testid="post">
      <span className="muted">
        {showTeam && (
          <>
            <Link to="/teams/$slug" params={{ slug: post.team.slug }}>
              {post.team.name}
            </Link>{" "}
            ·{" "}
          </>
        )}
        {post.author.displayName} @{post.author.username} · {new Date(post.createdAt).toLocaleString()}
        {post.pinned && <span className="tag">Pinned</span>}
      </span>
      <p className="post-body">{post.body}</p>
      {post.images.length > 0 && (
        <div className="post-images">
          {post.images.map((image, i) => (
            <UploadedImage key={image.url} image={image} alt={`Image ${i + 1} of the post`} />
          ))}
        </div>
      )}
      {(mine || viewer.canPin || viewer.canDeleteOthers) && (
        <PostActions post={post} canPin={viewer.canPin} canDelete={mine || viewer.canDeleteOthers} />
      )}
    </li>
  );
}

function PostActions({ post, canPin, canDelete }: { post: Post; canPin: boolean; canDelete: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefreshPosts(post.team.slug);
  const onSuccess = () => void refresh();
  const remove = useMutation(trpc.posts.delete.mutationOptions({ onSuccess }));
  const pin = useMutation(trpc.posts.pin.mutationOptions({ onSuccess }));
  const error = remove.error ?? pin.error;
  return (
    <div className="row">
      {canPin && (
        <button
          type="button"
          className="link-button"
          disabled={pin.isPending}
          onClick={() => pin.mutate({ teamSlug: post.team.slug, postId: post.id, pinned: !post.pinned })}
        >
          {post.pinned ? "Unpin" : "Pin"}
        </button>
      )}
      {canDelete && (
        <button
          type="button"
          className="link-button"
          disabled={remove.isPending}
          onClick={() => remove.mutate({ postId: post.id })}
        >
          Delete
        </button>
      )}
      <FormError message={error != null ? messageOf(error) : null} />
    </div>
  );
}

/** Text and up to four images, each uploaded as soon as it is picked. */
export function Composer({ teamSlug }: { teamSlug: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshPosts(teamSlug);
  const [images, setImages] = useState<Upload[]>([]);
  const [picker, setPicker] = useState(0);
  const create = useMutation(trpc.posts.create.mutationOptions({ onSuccess: () => void refresh() }));
  const imageErrors = images.flatMap((_, i) => fieldMessages(create.error, `imageIds.${i}`));
  return (
    <form
      className="card composer"
      aria-label="Write a post"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const { body = "" } = Object.fromEntries(new FormData(form)) as Record<string, string>;
        create.mutate(
          { teamSlug, body, imageIds: images.map((i) => i.id) },
          {
            onSuccess: () => {
              form.reset();
              setImages([]);
              setPicker((n) => n + 1);
            },
          },
        );
      }}
    >
      <h3>Write a post</h3>
      <PostBody error={create.error} />
      {images.length > 0 && (
        <ul className="post-images plain" aria-label="Images to post">
          {images.map((img, i) => (
            <li key={img.id}>
              <img src={img.thumbnailUrl} alt={`Image ${i + 1} to post`} className="uploaded" />
              <button
                type="button"
                className="link-button"
                onClick={() => setImages(images.filter((x) => x.id !== img.id))}
              >
                Remove image {i + 1}
              </button>
            </li>
          ))}
        </ul>
      )}
      {images.length < MAX_IMAGES && (
        <ImageInput
          key={picker}
          label={`Add an image (${images.length} of ${MAX_IMAGES})`}
          onUploaded={(upload) => {
            setImages((now) => [...now, upload].slice(0, MAX_IMAGES));
            setPicker((n) => n + 1);
          }}
          error={create.error}
          field="imageIds"
        />
      )}
      {imageErrors.length > 0 && (
        <p className="field-error" role="alert">
          {imageErrors.join(" ")}
        </p>
      )}
      <FormError message={formMessage(create.error, ["body", "imageIds", ...images.map((_, i) => `imageIds.${i}`)])} />
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? "Posting…" : "Post"}
      </button>
    </form>
  );
}

function PostBody({ error }: { error: unknown }) {
  const messages = fieldMessages(error, "body");
  return (
    <div className="field">
      <label htmlFor="post-body">Post</label>
      <textarea
        id="post-body"
        name="body"
        rows={3}
        maxLength={2000}
        required
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={messages.length ? "post-body-error" : undefined}
      />
      {messages.length > 0 && (
        <p id="post-body-error" className="field-error" role="alert">
          {messages.join(" ")}
        </p>
      )}
    </div>
  );
}

/** A team's posts, newest first, a page at a time. */
export function TeamFeed({ teamSlug, viewer }: { teamSlug: string; viewer: PostViewer }) {
  const trpc = useTRPC();
  const feed = useInfiniteQuery(teamFeedQuery(trpc, teamSlug));
  return (
    <PagedList query={feed} items={itemsOf(feed)} what="posts" empty="No posts yet.">
      {(posts) => (
        <ul className="cards feed" data-testid="team-feed">
          {posts.map((p) => (
            <PostCard key={p.id} post={p} viewer={viewer} />
          ))}
        </ul>
      )}
    </PagedList>
  );
}
