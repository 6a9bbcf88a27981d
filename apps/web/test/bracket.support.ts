/**
 * Tournaments for the bracket tests, set up through the typed client (create, publish, open,
 * close, start) with their entrants written straight to the database: registering 128 entrants
 * through the API would take minutes and is not what these tests are about. Names and seeds are
 * fixed (player001…), so screenshots are the same on every run.
 */
import type { Page } from "playwright-core";
import { PASSWORD, uniqueName, type WebStack } from "./web.support.ts";

type Api = ReturnType<WebStack["api"]>;
type CreateInput = Parameters<Api["tournaments"]["create"]["mutate"]>[0];
export type Format = CreateInput["format"];
export type Match = Awaited<ReturnType<Api["matches"]["list"]["query"]>>["items"][number];
export type Standing = Awaited<ReturnType<Api["tournaments"]["standings"]["query"]>>["items"][number];

const HOUR = 3_600_000;
/** Entrants' usernames: player001 … player128, seeded in this order. */
export const playerName = (i: number) => `player${String(i).padStart(3, "0")}`;

const organizers = new WeakMap<WebStack, Promise<Api>>();

/**
 * The file's organizer, signed up through the API once: the server allows 10 sign-ups an hour
 * from one address (RATE_LIMIT_SIGNUP), and a test file's users all come from 127.0.0.1.
 */
export function organizer(stack: WebStack): Promise<Api> {
  let org = organizers.get(stack);
  if (!org) {
    const username = uniqueName("org");
    org = stack
      .api()
      .identity.signUp.mutate({ username, email: `${username}@example.test`, password: PASSWORD })
      .then(({ token }) => stack.api(token));
    organizers.set(stack, org);
  }
  return org;
}

/** Ensures players 1…n exist (they cannot sign in: no real password hash; they only fill brackets). */
async function ensurePlayers(stack: WebStack, n: number): Promise<void> {
  await stack.sql(
    `insert into users (username, email, display_name, password_hash)
     select 'player' || lpad(g::text, 3, '0'), 'player' || g || '@bracket.test', 'Player ' || g, 'x'
     from generate_series(1, $1::int) g
     on conflict do nothing`,
    [n],
  );
}

/** A tournament taking entries, organized by `org`. */
export async function openTournament(org: Api, input: Partial<CreateInput> & { name: string; format: Format }) {
  const now = Date.now();
  const t = await org.tournaments.create.mutate({
    gameSlug: "valorant",
    participantType: "solo",
    teamSize: 1,
    capacity: 8,
    registrationOpensAt: new Date(now - HOUR),
    registrationClosesAt: new Date(now + 24 * HOUR),
    startsAt: new Date(now + 48 * HOUR),
    ...input,
  });
  await org.tournaments.publish.mutate({ slug: t.slug });
  await org.tournaments.openRegistration.mutate({ slug: t.slug });
  return t;
}

/** Closes registration and starts: the API generates the bracket. */
export async function start(org: Api, slug: string): Promise<void> {
  await org.tournaments.closeRegistration.mutate({ slug });
  await org.tournaments.start.mutate({ slug });
}

/** A started tournament with players 1…n confirmed in seed order. */
export async function startedTournament(
  stack: WebStack,
  org: Api,
  input: Partial<CreateInput> & { name: string; format: Format; entrants: number },
) {
  const { entrants, ...create } = input;
  await ensurePlayers(stack, entrants);
  const t = await openTournament(org, { capacity: Math.max(entrants, 2), ...create });
  await stack.sql(
    `insert into registrations (tournament_id, user_id, status)
     select $1, u.id, 'confirmed' from users u
     where u.username in (select 'player' || lpad(g::text, 3, '0') from generate_series(1, $2::int) g)
     order by u.username`,
    [t.id, entrants],
  );
  await stack.sql(`update tournaments set entries_count = $2 where id = $1`, [t.id, entrants]);
  await start(org, t.slug);
  return t;
}

/** Every match of a tournament as anyone sees it, page after page. */
export async function allMatches(api: Api, tournamentSlug: string): Promise<Match[]> {
  const out: Match[] = [];
  let cursor: number | undefined;
  do {
    const page = await api.matches.list.query({ tournamentSlug, limit: 50, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** The full standings, page after page. */
export async function allStandings(api: Api, slug: string): Promise<Standing[]> {
  const out: Standing[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.tournaments.standings.query({ slug, limit: 50, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/**
 * The organizer settles every ready match of the tournament, lower seed (earlier entrant) winning
 * 1–0, or 2–1 with per-game scores in a best of three: deterministic results for the pictures.
 */
export async function settleReady(org: Api, slug: string): Promise<number> {
  const ready = (await allMatches(org, slug)).filter((m) => m.state === "ready");
  for (const m of ready) {
    const aWins = m.sideA!.name < m.sideB!.name;
    if (m.bestOf === 3) {
      const games = aWins
        ? [
            { a: 13, b: 9 },
            { a: 7, b: 13 },
            { a: 13, b: 11 },
          ]
        : [
            { a: 9, b: 13 },
            { a: 13, b: 7 },
            { a: 11, b: 13 },
          ];
      await org.matches.resolve.mutate({ matchId: m.id, scoreA: aWins ? 2 : 1, scoreB: aWins ? 1 : 2, games });
    } else {
      await org.matches.resolve.mutate({ matchId: m.id, scoreA: aWins ? 1 : 0, scoreB: aWins ? 0 : 1 });
    }
  }
  return ready.length;
}

/** Opens the bracket page and waits until its matches are on screen. */
export async function openBracket(page: Page, slug: string): Promise<void> {
  await page.goto(`/tournaments/${slug}/bracket`);
  await page.getByTestId("bracket").waitFor();
}

/** What a match element shows: its two names and two scores, read from the page. */
export async function shownMatch(page: Page, matchId: number) {
  const el = page.locator(`[data-match-id="${matchId}"]`);
  const sides = el.locator(".side");
  const read = async (i: number) => ({
    name: (await sides.nth(i).locator(".name").textContent())?.trim() ?? "",
    score: (await sides.nth(i).locator(".score").textContent())?.trim() ?? "",
  });
  return { a: await read(0), b: await read(1) };
}

/** What the page should show for a match, from the API's data. */
export const expectedMatch = (m: Match) => ({
  a: { name: m.sideA?.name ?? "TBD", score: m.scoreA === null ? "–" : String(m.scoreA) },
  b: { name: m.sideB?.name ?? "TBD", score: m.scoreB === null ? "–" : String(m.scoreB) },
});
