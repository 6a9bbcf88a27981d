import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { RequireUser } from "../components/require-user.tsx";
import { TeamList } from "../components/team-list.tsx";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";
import { PostCard } from "../teams/posts.tsx";

/** Posts from the teams the user follows, newest first; and those teams. */
function Feed() {
  const trpc = useTRPC();
  const { user } = useMe();
  const feed = useInfiniteQuery(
    trpc.posts.homeFeed.infiniteQueryOptions({ limit: 10 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  const following = useInfiniteQuery(
    trpc.follows.mine.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  return (
    <section className="page">
      <h1>Your feed</h1>
      <div className="columns feed-columns">
        <section aria-labelledby="feed-posts">
          <h2 id="feed-posts">Posts</h2>
          <PagedList
            query={feed}
            items={itemsOf(feed)}
            what="posts"
            empty={
              <>
                Nothing here yet. <Link to="/teams">Find teams</Link> to follow: their posts show up here.
              </>
            }
          >
            {(posts) => (
              <ul className="cards feed" data-testid="home-feed">
                {posts.map((p) => (
                  // Actions stay on the team's page; here only the author's own are offered.
                  <PostCard
                    key={p.id}
                    post={p}
                    viewer={{ userId: user?.id ?? null, canPin: false, canDeleteOthers: false }}
                    showTeam
                  />
                ))}
              </ul>
            )}
          </PagedList>
        </section>
        <section aria-labelledby="feed-following">
          <h2 id="feed-following">Teams I follow</h2>
          <PagedList query={following} items={itemsOf(following)} what="teams" empty="You follow no team yet.">
            {(teams) => <TeamList teams={teams} />}
          </PagedList>
        </section>
      </div>
    </section>
  );
}

export function FeedPage() {
  return (
    <RequireUser title="Your feed">
      <Feed />
    </RequireUser>
  );
}
