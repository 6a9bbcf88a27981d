import type { Database } from "@deltacrown/db";
import { randomBytes } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { enqueue } from "../jobs/enqueue.ts";
import { preconditionFailed } from "../shared/errors.ts";
import { queueWebhookEvent } from "../webhooks/webhooks.service.ts";
import { payPrizes } from "../economy/tournament-payments.ts";
import { prizeAwards } from "./prizes.ts";
import { computeStandings } from "./standings.ts";
import type { lockForOrganizer } from "./tournaments.service.ts";

type LockedTournament = Awaited<ReturnType<typeof lockForOrganizer>>;

/** 12 characters of Crockford base32: unguessable, easy to read out and type. */
export function certificateCode(): string {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  return [...randomBytes(12)].map((b) => alphabet[b % 32]).join("");
}

/**
 * Inside the `complete` transaction: every match must be settled; final placements are computed
 * once and stored on the entries, a certificate is issued to each placed entry, and the ranking
 * award job is enqueued (job key per tournament, so it exists exactly once), with the
 * tournament.completed webhook; prizes from `prize_pool` are paid (tournaments/prizes.ts). Six
 * statements, nine with prizes.
 */
export async function finalizeTournament(trx: Transaction<Database>, t: LockedTournament): Promise<void> {
  const matches = await trx
    .selectFrom("matches")
    .select(["bracket", "round", "state", "side_a_id", "side_b_id", "score_a", "score_b", "winner_id"])
    .where("tournament_id", "=", t.id)
    .execute();
  if (matches.length === 0) throw preconditionFailed("No match has been played", "MATCHES_OPEN");
  if (matches.some((m) => m.state !== "completed" && m.state !== "void"))
    throw preconditionFailed("Every match must be completed (or resolved) first", "MATCHES_OPEN");
  // Each entry with who receives its prize: the team's owner, or the solo player.
  const entries = await trx
    .selectFrom("registrations as r")
    .leftJoin("teams as tm", "tm.id", "r.team_id")
    .select(["r.id", "r.team_id", (eb) => eb.fn.coalesce("tm.owner_id", "r.user_id").as("recipient_id")])
    .where("r.tournament_id", "=", t.id)
    .where("r.status", "=", "confirmed")
    .execute();
  const standings = computeStandings(
    t.format,
    entries.map((e) => e.id),
    matches,
  );
  const rows = sql.join(
    standings.map((s) => sql`(${s.registrationId}::int, ${s.placement}::int, ${certificateCode()}::text)`),
  );
  // Placements and certificates in one statement.
  await sql`
    with v(id, placement, code) as (values ${rows}),
    placed as (
      update registrations r set placement = v.placement, updated_at = now() from v where r.id = v.id returning r.id
    )
    insert into certificates (tournament_id, registration_id, placement, code)
    select ${t.id}, v.id, v.placement, v.code from v
    on conflict (registration_id) do nothing`.execute(trx);
  const teamOf = new Map(entries.map((e) => [e.id, e.team_id]));
  await enqueue(
    trx,
    "rankings/award-tournament",
    {
      tournamentId: t.id,
      gameId: t.game_id,
      tier: t.tier,
      placements: standings
        .filter((s) => teamOf.get(s.registrationId) != null)
        .map((s) => ({ teamId: teamOf.get(s.registrationId)!, placement: s.placement })),
    },
    { jobKey: `award:tournament:${t.id}` },
  );
  // Prizes from the pool (three statements, set-based; each prize exactly once by its reference).
  if (t.prize_pool > 0) {
    const recipientOf = new Map(entries.map((e) => [e.id, e.recipient_id]));
    await payPrizes(
      trx,
      t.id,
      prizeAwards(
        t.prize_pool,
        standings.map((s) => ({ placement: s.placement, userId: recipientOf.get(s.registrationId)! })),
      ),
    );
  }
  // Organizers' webhooks, with the status change (completion happens once: the transition guards it).
  await queueWebhookEvent(trx, {
    tournamentId: t.id,
    type: "tournament.completed",
    data: {
      tournamentId: t.id,
      slug: t.slug,
      placements: standings.map((s) => ({ registrationId: s.registrationId, placement: s.placement })),
    },
  });
}
