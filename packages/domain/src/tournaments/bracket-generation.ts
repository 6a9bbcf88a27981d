import type { Database, MatchesTable, MatchState, TournamentFormat } from "@deltacrown/db";
import { sql, type Insertable, type Transaction } from "kysely";
import { badRequest, preconditionFailed } from "../shared/errors.ts";
import {
  doubleElimination,
  largestGroup,
  MAX_GROUP_SIZE,
  pairSwissRound,
  roundRobin,
  seedParticipants,
  singleElimination,
  type PlannedMatch,
  type SlotSource,
} from "./brackets/index.ts";
import type { TournamentSettings } from "./tournaments.dto.ts";

interface Tournament {
  id: number;
  format: TournamentFormat;
  game_id: number;
  checkin_required: boolean;
  settings: TournamentSettings;
}

/**
 * Inside the `start` transaction: drops confirmed entries that did not check in (when the
 * tournament has a check-in window), seeds the rest and stores the whole bracket — four statements
 * whatever its size. Matches whose two sides are known start `ready`.
 */
export async function generateBracket(trx: Transaction<Database>, t: Tournament): Promise<number> {
  if (t.checkin_required)
    await trx
      .updateTable("registrations")
      .set({ status: "dropped", updated_at: new Date() })
      .where("tournament_id", "=", t.id)
      .where("status", "=", "confirmed")
      .where("checked_in_at", "is", null)
      .execute();
  const entries = await trx
    .selectFrom("registrations as r")
    .leftJoin("team_rankings as tr", (j) => j.onRef("tr.team_id", "=", "r.team_id").on("tr.game_id", "=", t.game_id))
    .select(["r.id", "r.seed", "r.created_at", "tr.current_cp"])
    .where("r.tournament_id", "=", t.id)
    .where("r.status", "=", "confirmed")
    .orderBy("r.created_at")
    .orderBy("r.id")
    .execute();
  if (entries.length < 2)
    throw preconditionFailed("A bracket needs at least two confirmed (and checked-in) entries", "TOO_FEW_ENTRIES");
  const seeds = seedParticipants(
    entries.map((e, order) => ({ id: e.id, order, seed: e.seed, cp: e.current_cp })),
    t.settings.seeding,
  );
  let planned: PlannedMatch[];
  let byeFor: number | null = null;
  switch (t.format) {
    case "single_elimination":
      planned = singleElimination(seeds, { thirdPlace: t.settings.thirdPlaceMatch });
      break;
    case "double_elimination":
      planned = doubleElimination(seeds, { grandFinalReset: t.settings.grandFinalReset });
      break;
    case "round_robin":
      // Creation refuses such settings; this guards tournaments stored before the cap.
      if (largestGroup(seeds.length, t.settings.groupCount) > MAX_GROUP_SIZE)
        throw badRequest(
          `A round-robin group holds at most ${MAX_GROUP_SIZE} entrants; use more groups`,
          "GROUP_TOO_LARGE",
          "settings.groupCount",
        );
      planned = roundRobin(seeds, { groupCount: t.settings.groupCount });
      break;
    case "swiss": {
      const round = pairSwissRound(
        seeds.map((id, i) => ({ id, score: 0, seed: i + 1, opponents: new Set<number>(), hadBye: false })),
        1,
      );
      if (!round) throw preconditionFailed("No pairing possible", "NO_PAIRING");
      planned = round.matches;
      byeFor = round.bye;
      break;
    }
  }
  await storeMatches(trx, t.id, planned, t.settings.bestOf, byeFor, 1);
  return entries.length;
}

const sideOf = (s: SlotSource) => (s.kind === "participant" ? s.id : null);

/** The order brackets are shown in; match ids follow it, so listing by id lists in bracket order. */
const BRACKET_ORDER = ["winners", "group", "swiss", "losers", "third_place", "grand_final"];
const bracketRank = (m: PlannedMatch) => BRACKET_ORDER.indexOf(m.bracket);

/**
 * Stores planned matches with their links: ids reserved first (in bracket, round, position order:
 * the order matches are listed and paged in), then one multi-row insert.
 */
export async function storeMatches(
  trx: Transaction<Database>,
  tournamentId: number,
  unordered: readonly PlannedMatch[],
  bestOf: number,
  swissBye: number | null,
  swissRound: number,
): Promise<void> {
  const planned = [...unordered].sort(
    (x, y) => bracketRank(x) - bracketRank(y) || x.round - y.round || x.position - y.position,
  );
  const count = planned.length + (swissBye !== null ? 1 : 0);
  const { rows } = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence('matches', 'id'))::int as id from generate_series(1, ${count})`.execute(trx);
  const idOf = new Map(planned.map((m, i) => [m.key, rows[i]!.id]));
  const values = planned.map((m): Insertable<MatchesTable> & { state: MatchState } => {
    const a = sideOf(m.a);
    const b = sideOf(m.b);
    const state: MatchState = a !== null && b !== null ? "ready" : "pending";
    return {
      id: idOf.get(m.key)!,
      tournament_id: tournamentId,
      bracket: m.bracket,
      round: m.round,
      position: m.position,
      group_no: m.groupNo,
      best_of: bestOf,
      side_a_id: a,
      side_b_id: b,
      state,
      next_match_id: m.next ? (idOf.get(m.next.key) ?? null) : null,
      next_slot: m.next?.slot ?? null,
      loser_next_match_id: m.loserNext ? (idOf.get(m.loserNext.key) ?? null) : null,
      loser_next_slot: m.loserNext?.slot ?? null,
      games: "[]",
    };
  });
  if (swissBye !== null)
    // A Swiss bye is stored as a completed one-sided match: it scores a win and shows in history.
    values.push({
      id: rows[planned.length]!.id,
      tournament_id: tournamentId,
      bracket: "swiss",
      round: swissRound,
      position: planned.length + 1,
      group_no: null,
      best_of: bestOf,
      side_a_id: swissBye,
      side_b_id: null,
      state: "completed",
      next_match_id: null,
      next_slot: null,
      loser_next_match_id: null,
      loser_next_slot: null,
      games: "[]",
    });
  // One statement whatever the bracket size: a parameter per column (arrays unnested), not per
  // value — a multi-row VALUES list passes Postgres's 65,535-parameter limit near 4,000 matches.
  const col = <T>(pick: (v: (typeof values)[number]) => T) => values.map(pick);
  await sql`
    insert into matches (id, tournament_id, bracket, round, position, group_no, best_of, side_a_id, side_b_id,
      state, next_match_id, next_slot, loser_next_match_id, loser_next_slot, winner_id, completed_at)
    select * from unnest(
      ${col((v) => v.id)}::int[], ${col((v) => v.tournament_id)}::int[], ${col((v) => v.bracket)}::text[],
      ${col((v) => v.round)}::smallint[], ${col((v) => v.position)}::smallint[], ${col((v) => v.group_no ?? null)}::smallint[],
      ${col((v) => v.best_of ?? 1)}::smallint[], ${col((v) => v.side_a_id ?? null)}::int[], ${col((v) => v.side_b_id ?? null)}::int[],
      ${col((v) => v.state)}::text[], ${col((v) => v.next_match_id ?? null)}::int[], ${col((v) => v.next_slot ?? null)}::text[],
      ${col((v) => v.loser_next_match_id ?? null)}::int[], ${col((v) => v.loser_next_slot ?? null)}::text[],
      ${col((v) => (v.state === "completed" ? (v.side_a_id ?? null) : null))}::int[],
      ${col((v) => (v.state === "completed" ? new Date().toISOString() : null))}::timestamptz[]
    )`.execute(trx);
}
