import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { codeOf } from "../lib/errors.ts";
import { Empty, ErrorState, Loading } from "./status.tsx";

/** Refusals that asking again will not change (a members-only feed, a missing team). */
const FINAL = new Set(["FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"]);

type Paged<P> = UseInfiniteQueryResult<InfiniteData<P>, unknown>;

/** Every item of every loaded page, in order (`pick` for pages whose list is not `items`). */
export function itemsOf<P extends { items: readonly unknown[] }>(query: Paged<P>): P["items"][number][];
export function itemsOf<P, T>(query: Paged<P>, pick: (page: P) => readonly T[]): T[];
export function itemsOf<P, T>(query: Paged<P>, pick?: (page: P) => readonly T[]): T[] {
  const of = pick ?? ((p: P) => (p as { items: readonly T[] }).items);
  return query.data?.pages.flatMap((p) => [...of(p)]) ?? [];
}

/**
 * One cursor-paged list as every page shows it: loading, the server's error with a retry, an empty
 * message, the items, and "Load more" while the server hands out a next cursor.
 */
export function PagedList<P, T>({
  query,
  items,
  what,
  empty,
  children,
}: {
  query: Paged<P>;
  items: T[];
  /** "teams", "posts": said while loading. */
  what: string;
  empty: React.ReactNode;
  children: (items: T[]) => React.ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  // A failed next page keeps the pages already shown (the error is said under them).
  if (query.isError && !query.data)
    return <ErrorState error={query.error} retry={FINAL.has(codeOf(query.error) ?? "") ? undefined : query.refetch} />;
  if (items.length === 0) return <Empty>{empty}</Empty>;
  return (
    <>
      {children(items)}
      {query.hasNextPage && (
        <button
          type="button"
          className="load-more"
          onClick={() => void query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? "Loading…" : `Load more ${what}`}
        </button>
      )}
      {query.isFetchNextPageError && <ErrorState error={query.error} retry={query.fetchNextPage} />}
    </>
  );
}
