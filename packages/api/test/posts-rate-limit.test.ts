/**
 * The posts limit (RATE_LIMIT_POSTS, default 10 an hour per account) with its production default
 * and its production store: counters in the test's real Redis. The rest of the API harness runs
 * without limits, so these callers carry their own `AbuseLimits` (users are signed up without it:
 * sign-ups are limited per address, and every in-process caller shares one).
 */
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AbuseLimits,
  appRouter,
  createCallerFactory,
  createContextInner,
  defaultLimits,
  RateLimitedError,
  retryAfterOf,
} from "../src/index.ts";
import { uniq } from "./budgets/scenario.ts";
import { testConfig, useApi } from "./support.ts";

const api = useApi();
const createCaller = createCallerFactory(appRouter);
let limits: AbuseLimits;

beforeAll(() => {
  // Its own key prefix: other files share this Redis.
  limits = new AbuseLimits({ config: defaultLimits, redis: api.services.redis, keyPrefix: uniq("dc:rl:posts-test") });
});

const limitedCaller = (token: string) =>
  createCaller(
    createContextInner({ db: api.db, cache: api.cache, config: testConfig, contractMode: "throw", limits, token }),
  );

const postsBy = async (userId: number) =>
  Number(
    (
      await api.db
        .selectFrom("team_posts")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("author_id", "=", userId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("posts.create is limited per account (RATE_LIMIT_POSTS)", () => {
  it("the default is 10 an hour", () => {
    expect(defaultLimits.posts).toEqual({ points: 10, durationSeconds: 3600, blockSeconds: 0 });
  });

  it("the 11th post in an hour is TOO_MANY_REQUESTS with retryAfter and writes nothing; another user posts on", async () => {
    const owner = await api.user(uniq("chatty"));
    const team = await api.team(owner, uniq("Chatty "));
    const teammate = await api.user(uniq("quiet"));
    await api.addMember(owner, team.slug, teammate);
    const ownerLimited = limitedCaller(owner.token);

    for (let i = 1; i <= 10; i++) await ownerLimited.posts.create({ teamSlug: team.slug, body: `post ${i}` });
    expect(await postsBy(owner.user.id)).toBe(10);

    // api.refused: the typed code and reason, and not a row changed anywhere.
    const refused = await api.refused(() => ownerLimited.posts.create({ teamSlug: team.slug, body: "post 11" }), {
      code: "TOO_MANY_REQUESTS",
      reason: "RATE_LIMITED",
    });
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused.cause).toBeInstanceOf(RateLimitedError);
    const wait = retryAfterOf(refused);
    // Seconds left of the hour's window (the wire's retryAfter and Retry-After).
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(3600);
    expect(await postsBy(owner.user.id)).toBe(10);

    // Another team doesn't help: the limit is the account's.
    const other = await api.team(owner, uniq("Second Team "));
    await api.refused(() => ownerLimited.posts.create({ teamSlug: other.slug, body: "elsewhere" }), {
      code: "TOO_MANY_REQUESTS",
    });

    // Another user, same team, same limits: unaffected.
    const mate = limitedCaller(teammate.token);
    const post = await mate.posts.create({ teamSlug: team.slug, body: "my first" });
    expect(post.author.id).toBe(teammate.user.id);
    expect(await postsBy(teammate.user.id)).toBe(1);
  });
});
