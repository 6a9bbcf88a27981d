import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound, preconditionFailed } from "../shared/errors.ts";
import { canViewTournament } from "../tournaments/access.ts";
import { liveChannels } from "./channels.ts";
import type { LiveEvent } from "./live-bus.ts";
import { currentLiveBus } from "./registry.ts";

export interface StreamOptions {
  lastEventId?: string | null | undefined;
  signal?: AbortSignal | undefined;
}

function bus() {
  const b = currentLiveBus();
  if (!b) throw preconditionFailed("Live updates are not enabled on this server", "LIVE_DISABLED");
  return b;
}

/** The signed-in user's own notifications (no one else's channel can be named). */
export function notificationStream(_deps: DomainDeps, actor: Actor, opts: StreamOptions): AsyncGenerator<LiveEvent> {
  return bus().subscribe(liveChannels.userNotifications(actor.userId), opts);
}

/** A team's updates, for its active members (and staff); membership is read live, one statement. */
export async function teamStream(
  deps: DomainDeps,
  actor: Actor,
  input: { teamSlug: string } & StreamOptions,
): Promise<AsyncGenerator<LiveEvent>> {
  const row = await deps.db
    .selectFrom("teams as t")
    .leftJoin("team_memberships as m", (j) =>
      j.onRef("m.team_id", "=", "t.id").on("m.user_id", "=", actor.userId).on("m.status", "=", "active"),
    )
    .select(["t.id", "m.role"])
    .where("t.slug", "=", input.teamSlug)
    .where("t.disbanded_at", "is", null)
    .executeTakeFirst();
  if (!row) throw notFound("Team", "teamSlug");
  if (!row.role && !actor.isStaff) throw forbidden("Only team members may follow a team's updates");
  return bus().subscribe(liveChannels.team(row.id), input);
}

/**
 * A tournament's match updates and bracket changes: anyone may follow a published tournament;
 * a draft only those who manage it (and staff). One statement.
 */
export async function tournamentStream(
  deps: DomainDeps,
  actor: Actor | undefined,
  input: { tournamentSlug: string } & StreamOptions,
): Promise<AsyncGenerator<LiveEvent>> {
  const row = await deps.db
    .selectFrom("tournaments as t")
    .select("t.id")
    .where("t.slug", "=", input.tournamentSlug)
    .where("t.is_deleted", "=", false)
    .where((eb) => canViewTournament(eb, actor))
    .executeTakeFirst();
  if (!row) throw notFound("Tournament", "tournamentSlug");
  return bus().subscribe(liveChannels.tournament(row.id), input);
}
