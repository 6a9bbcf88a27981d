import type { Api, Caller } from "../api-harness.ts";
import { uniq } from "../budgets/scenario.ts";

type CreateInput = Parameters<Caller["tournaments"]["create"]>[0];

const HOUR = 3_600_000;

/** A valid draft: registration open now for a day, start two days out. */
export function draftInput(overrides: Partial<CreateInput> = {}): CreateInput {
  const now = Date.now();
  return {
    name: uniq("Crown Cup "),
    gameSlug: "valorant",
    format: "single_elimination",
    participantType: "team",
    capacity: 8,
    teamSize: 1,
    registrationOpensAt: new Date(now - HOUR),
    registrationClosesAt: new Date(now + 24 * HOUR),
    startsAt: new Date(now + 48 * HOUR),
    ...overrides,
  };
}

/** An organizer with a tournament already taking entries. */
export async function openTournament(api: Api, overrides: Partial<CreateInput> = {}) {
  const organizer = await api.user(uniq("org"));
  const t = await organizer.caller.tournaments.create(draftInput(overrides));
  await organizer.caller.tournaments.publish({ slug: t.slug });
  await organizer.caller.tournaments.openRegistration({ slug: t.slug });
  return { organizer, tournament: t };
}

/** A user owning a team of the game (owners may register their team). */
export async function teamOwner(api: Api, gameSlug = "valorant") {
  const owner = await api.user(uniq("cap"));
  const team = await api.team(owner, uniq("Squad "), gameSlug);
  return { ...owner, team };
}

/** A new team owner who registered their team (no custom fields) for the tournament. */
export async function registeredTeam(api: Api, tournamentSlug: string) {
  const cap = await teamOwner(api);
  const reg = await cap.caller.registrations.register({ tournamentSlug, teamSlug: cap.team.slug, fields: {} });
  return { cap, reg };
}

/** A started tournament with `n` confirmed team entries (teams of one), its bracket generated. */
export async function startedTournament(api: Api, n: number, overrides: Partial<CreateInput> = {}) {
  const { organizer, tournament } = await openTournament(api, { capacity: Math.max(n, 2), ...overrides });
  const caps: (Awaited<ReturnType<typeof teamOwner>> & { reg: { id: number } })[] = [];
  for (let i = 0; i < n; i++) {
    const { cap, reg } = await registeredTeam(api, tournament.slug);
    await organizer.caller.registrations.review({ registrationId: reg.id, decision: "confirm" });
    caps.push({ ...cap, reg });
  }
  await organizer.caller.tournaments.closeRegistration({ slug: tournament.slug });
  await organizer.caller.tournaments.start({ slug: tournament.slug });
  /** The caller acting for a registration id. */
  const captainOf = (registrationId: number) => caps.find((c) => c.reg.id === registrationId)!;
  return { organizer, tournament, caps, captainOf };
}

type MatchState = NonNullable<Parameters<Caller["matches"]["list"]>[0]["state"]>;

/** Every match of a tournament, page after page (as anyone sees them), in bracket order. */
export async function allMatches(api: Api, tournamentSlug: string, state?: MatchState) {
  const out: Awaited<ReturnType<Caller["matches"]["list"]>>["items"] = [];
  let cursor: number | undefined;
  do {
    const page = await api.caller().matches.list({ tournamentSlug, state, cursor, limit: 50 });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

/** Every row of a list ordered by placement (standings, certificates), page after page. */
export async function allPlaced<T>(
  list: (input: { slug: string; cursor?: string; limit: number }) => Promise<{ items: T[]; nextCursor: string | null }>,
  slug: string,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ slug, ...(cursor !== undefined ? { cursor } : {}), limit: 50 });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}
