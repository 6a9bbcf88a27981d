import type { RouterOutputs } from "@deltacrown/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { FormError } from "../components/status.tsx";
import { UploadedImage } from "../components/uploaded-image.tsx";
import { messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

type Team = RouterOutputs["teams"]["bySlug"];

/**
 * Follow / Unfollow. Whether the viewer follows comes from `teams.viewer` (`following`: the page's
 * viewer read, undefined while it loads); after a click, the answer's state until it is read again.
 */
export function FollowButton({ team, following: read }: { team: Team; following: boolean | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [answer, setAnswer] = useState<boolean | null>(null);
  const following = answer ?? read ?? false;
  const onSuccess = (state: { following: boolean }) => {
    setAnswer(state.following);
    void queryClient.invalidateQueries({ queryKey: trpc.follows.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.teams.bySlug.queryKey({ slug: team.slug }) });
    void queryClient.invalidateQueries({ queryKey: trpc.teams.viewer.queryKey({ slug: team.slug }) });
    void queryClient.invalidateQueries({ queryKey: trpc.posts.homeFeed.pathKey() });
  };
  const follow = useMutation(trpc.follows.follow.mutationOptions({ onSuccess }));
  const unfollow = useMutation(trpc.follows.unfollow.mutationOptions({ onSuccess }));
  const error = follow.error ?? unfollow.error;
  return (
    <div className="row">
      {following ? (
        <button type="button" onClick={() => unfollow.mutate({ teamSlug: team.slug })} disabled={unfollow.isPending}>
          Unfollow
        </button>
      ) : (
        <button
          type="button"
          onClick={() => follow.mutate({ teamSlug: team.slug })}
          disabled={follow.isPending || read === undefined}
        >
          Follow
        </button>
      )}
      <FormError message={error != null ? messageOf(error) : null} />
    </div>
  );
}

export function PinnedPost({ team }: { team: Team }) {
  const post = team.pinnedPost;
  if (!post) return null;
  return (
    <section aria-labelledby="pinned-heading" className="card pinned" data-testid="pinned-post">
      <h2 id="pinned-heading">Pinned</h2>
      <span className="muted">
        {post.author.displayName} @{post.author.username} · {new Date(post.createdAt).toLocaleString()}
      </span>
      <p className="post-body">{post.body}</p>
      {post.images.length > 0 && (
        <div className="post-images">
          {post.images.map((image, i) => (
            <UploadedImage key={image.url} image={image} alt={`Image ${i + 1} of the pinned post`} />
          ))}
        </div>
      )}
    </section>
  );
}

const ACHIEVEMENT_ICONS: Record<Team["achievements"][number]["kind"], string> = {
  tournament_placement: "🏆",
  cp_milestone: "📈",
  tier_reached: "🎖️",
  hot_streak: "🔥",
};

export function Achievements({ team }: { team: Team }) {
  return (
    <section aria-labelledby="achievements-heading">
      <h2 id="achievements-heading">Achievements</h2>
      {team.achievements.length === 0 ? (
        <p className="status empty">No achievements yet: they are awarded for placements, CP and streaks.</p>
      ) : (
        <ul className="showcase" data-testid="achievements">
          {team.achievements.map((a) => (
            <li key={`${a.kind}:${a.key}`} className="card">
              <span aria-hidden="true">{ACHIEVEMENT_ICONS[a.kind]}</span> <strong>{a.title}</strong>
              <span className="muted">{new Date(a.awardedAt).toLocaleDateString()}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Active sponsors (the team page lists only those), each a link to its https site. */
export function Sponsors({ team }: { team: Team }) {
  if (team.sponsors.length === 0) return null;
  return (
    <section aria-labelledby="sponsors-heading">
      <h2 id="sponsors-heading">Sponsors</h2>
      <ul className="showcase" data-testid="sponsors">
        {team.sponsors.map((s) => (
          <li key={s.id} className="card sponsor">
            {s.logo && <UploadedImage image={s.logo} alt={`${s.name} logo`} />}
            <a href={s.linkUrl} target="_blank" rel="noreferrer noopener sponsored">
              {s.name}
            </a>
            <span className="muted">
              {new Date(s.startsAt).toLocaleDateString()} – {new Date(s.endsAt).toLocaleDateString()}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Who follows the team, last followed first; loaded when opened. */
export function Followers({ team }: { team: Team }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Followers <span className="muted">({team.followerCount})</span>
      </summary>
      {open && <FollowerList slug={team.slug} />}
    </details>
  );
}

function FollowerList({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const followers = useInfiniteQuery(
    trpc.follows.followers.infiniteQueryOptions(
      { teamSlug: slug, limit: 20 },
      { getNextPageParam: (p) => p.nextCursor },
    ),
  );
  return (
    <PagedList query={followers} items={itemsOf(followers)} what="followers" empty="No followers yet.">
      {(items) => (
        <ul className="plain" data-testid="followers">
          {items.map((f) => (
            <li key={f.userId}>
              {f.displayName} <span className="muted">@{f.username}</span>
            </li>
          ))}
        </ul>
      )}
    </PagedList>
  );
}
