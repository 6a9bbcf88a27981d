import type { Database, GameScore, MatchState } from "@deltacrown/db";
import { sql, type Kysely, type Transaction } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { recordMatchResult } from "../rankings/awards.ts";
import { auditJob } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { badRequest, forbidden, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction, type AfterCommit } from "../shared/transaction.ts";
import { liveChannels } from "../live/channels.ts";
import { publishLive } from "../live/registry.ts";
import { webhookEventInsert } from "../webhooks/webhooks.service.ts";
import { TEAM_PERMISSIONS } from "../teams/permissions.ts";
import { canManageTournament, canViewTournament } from "./access.ts";
import { completionCtes, resetDependents, type MatchResult } from "./advancement.ts";
import { storeMatches } from "./bracket-generation.ts";
import { pairSwissRound } from "./brackets/index.ts";
import { lockForOrganizer } from "./tournaments.service.ts";
import { settingsOf } from "./tournament-queries.ts";

export interface MatchDto {
  id: number;
  bracket: string;
  round: number;
  position: number;
  groupNo: number | null;
  bestOf: number;
  state: MatchState;
  sideA: { registrationId: number; name: string } | null;
  sideB: { registrationId: number; name: string } | null;
  scoreA: number | null;
  scoreB: number | null;
  games: GameScore[];
  winnerId: number | null;
  isForfeit: boolean;
  reports: { registrationId: number; scoreA: number; scoreB: number; evidence: string }[];
}

/** What anyone may see of a match: the reports' scores, not their evidence (participants' uploads). */
export interface PublicMatchDto extends Omit<MatchDto, "reports"> {
  reports: { registrationId: number; scoreA: number; scoreB: number }[];
}

export interface ScoreInput {
  scoreA: number;
  scoreB: number;
  games?: GameScore[] | undefined;
}

/** A best-of-N score must name a winner who took a majority of games, and per-game scores must agree. */
function checkScore(bestOf: number, input: ScoreInput): GameScore[] {
  const need = Math.ceil(bestOf / 2);
  const { scoreA, scoreB } = input;
  if (Math.max(scoreA, scoreB) !== need || Math.min(scoreA, scoreB) >= need)
    throw badRequest(`A best-of-${bestOf} ends when one side wins ${need} games`, "BAD_SCORE", "scoreA");
  const games = input.games ?? [];
  if (games.length > 0) {
    const wonA = games.filter((g) => g.a > g.b).length;
    const wonB = games.filter((g) => g.b > g.a).length;
    if (wonA !== scoreA || wonB !== scoreB || games.length !== scoreA + scoreB)
      throw badRequest("The per-game scores do not add up to the match score", "BAD_SCORE", "games");
  }
  return games;
}

/** The match, its tournament and the actor's standing (side, organizer), the match row locked. */
/** "Does the actor play side `col` of match m?" — the solo player, or a team role that reports results. */
const playsSide = (actor: Actor, col: "m.side_a_id" | "m.side_b_id") =>
  sql<boolean>`exists (
    select 1 from registrations r
    left join team_memberships tm on tm.team_id = r.team_id and tm.user_id = ${actor.userId} and tm.status = 'active'
    where r.id = ${sql.ref(col)}
      and ((r.team_id is null and r.user_id = ${actor.userId})
        or tm.role in (${sql.join(TEAM_PERMISSIONS.reportResults.map((x) => sql`${x}`))})))`;

async function lockMatch(trx: Transaction<Database>, actor: Actor, matchId: number) {
  const side = (col: "m.side_a_id" | "m.side_b_id") => playsSide(actor, col);
  const m = await trx
    .selectFrom("matches as m")
    .innerJoin("tournaments as t", "t.id", "m.tournament_id")
    .select((eb) => [
      "m.id",
      "m.tournament_id",
      "m.bracket",
      "m.round",
      "m.best_of",
      "m.state",
      "m.side_a_id",
      "m.side_b_id",
      "m.next_match_id",
      "m.next_slot",
      "m.loser_next_match_id",
      "m.loser_next_slot",
      "t.status as tournament_status",
      "t.game_id",
      "t.participant_type",
      canManageTournament(eb, actor).as("is_organizer"),
      side("m.side_a_id").as("is_side_a"),
      side("m.side_b_id").as("is_side_b"),
      eb.selectFrom("registrations as r").select("r.team_id").whereRef("r.id", "=", "m.side_a_id").as("team_a"),
      eb.selectFrom("registrations as r").select("r.team_id").whereRef("r.id", "=", "m.side_b_id").as("team_b"),
    ])
    .where("m.id", "=", matchId)
    .where("t.is_deleted", "=", false)
    .forUpdate("m")
    .executeTakeFirst();
  if (!m) throw notFound("Match", "matchId");
  if (m.tournament_status !== "in_progress")
    throw preconditionFailed("The tournament is not in progress", "TOURNAMENT_NOT_RUNNING");
  return m;
}

type LockedMatch = Awaited<ReturnType<typeof lockMatch>>;

/**
 * Tells listeners, once committed, that a match changed (and, after a correction reset the
 * matches downstream, that the bracket did). Never inside the transaction: a rolled-back change
 * must not reach anyone.
 */
export function announceMatch(
  afterCommit: AfterCommit,
  tournamentId: number,
  data: Record<string, unknown>,
  bracketChanged = false,
): void {
  afterCommit(async () => {
    const channel = liveChannels.tournament(tournamentId);
    await publishLive(channel, { type: "match.updated", data });
    if (bracketChanged) await publishLive(channel, { type: "bracket.changed", data: { tournamentId } });
  });
}

/**
 * Completes the match in ONE statement: the result, the advancement, its audit job and the
 * organizers' `match.completed` webhooks; then the hot streaks. The two teams' pages (their hot
 * streaks) are invalidated after commit.
 */
async function finish(
  deps: DomainDeps,
  trx: Transaction<Database>,
  afterCommit: AfterCommit,
  m: LockedMatch,
  score: MatchResult,
  audited: Parameters<typeof auditJob>[0],
) {
  const done = completionCtes(m, score, { returning: auditJob(audited) });
  const hook = completedHook(m, score, done.winnerId);
  await sql`with ${done.ctes}, completed_hook as (${hook.insert}) select id from done`.execute(trx);
  await recordStreaks(deps, trx, afterCommit, m, done.winnerId);
}

/** The organizers' `match.completed` webhooks, for a statement whose `done` CTE completed the match. */
const completedHook = (m: LockedMatch, score: MatchResult, winnerId: number) =>
  webhookEventInsert(
    {
      tournamentId: m.tournament_id,
      type: "match.completed",
      data: {
        matchId: m.id,
        tournamentId: m.tournament_id,
        scoreA: score.scoreA,
        scoreB: score.scoreB,
        winnerId,
        forfeit: score.forfeit,
      },
    },
    sql`done`,
  );

/** Hot streaks (rankings context) for team matches, in the result's transaction. */
async function recordStreaks(
  deps: DomainDeps,
  trx: Transaction<Database>,
  afterCommit: AfterCommit,
  m: LockedMatch,
  winnerId: number,
) {
  if (m.team_a != null && m.team_b != null) {
    const [w, l] = winnerId === m.side_a_id ? [m.team_a, m.team_b] : [m.team_b, m.team_a];
    const slugs = await recordMatchResult(trx, { gameId: m.game_id, winnerTeamId: w, loserTeamId: l });
    afterCommit(() => deps.cache.invalidateMany(slugs.map((slug) => ["teamDetail", slug] as const)));
  }
}

/**
 * A side reports the score. When both sides' reports agree the match completes and its winner
 * (and loser) advance; when they differ the match goes to dispute with both reports' evidence.
 *
 * With the match row locked (lockMatch: the other side's report, if it raced ours, is committed
 * before our next statement starts), ONE statement upserts my report with its audit job, reads
 * the other side's, and either completes the match (advancement, `match.completed` webhooks) or
 * opens the dispute (`dispute.opened` webhooks) — each only when the reports say so. The hot
 * streaks of a completed team match follow in the same transaction.
 */
export async function reportScore(
  deps: DomainDeps,
  actor: Actor,
  input: ScoreInput & { matchId: number; evidence?: string | undefined },
): Promise<MatchDto> {
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const m = await lockMatch(trx, actor, input.matchId);
    if (!m.is_side_a && !m.is_side_b) throw forbidden("Only a captain or manager of a side may report this match");
    if (m.state !== "ready") throw preconditionFailed(`This match is ${m.state}`, "MATCH_NOT_READY");
    const games = checkScore(m.best_of, input);
    const mine = (m.is_side_a ? m.side_a_id : m.side_b_id)!;
    const score = { scoreA: input.scoreA, scoreB: input.scoreB, games, forfeit: false };
    const done = completionCtes(m, score, { when: sql<boolean>`exists (select 1 from other where agrees)` });
    const disputeHook = webhookEventInsert(
      {
        tournamentId: m.tournament_id,
        type: "dispute.opened",
        data: {
          matchId: m.id,
          tournamentId: m.tournament_id,
          reports: [
            { registrationId: mine, scoreA: input.scoreA, scoreB: input.scoreB },
            {
              registrationId: sql<number>`o.registration_id`,
              scoreA: sql<number>`o.score_a`,
              scoreB: sql<number>`o.score_b`,
            },
          ],
        },
      },
      sql`(select other.* from other join disputed on true) o`,
    );
    const audited = auditJob({
      actorId: actor.userId,
      action: "match.reported",
      entityType: "match",
      entityId: String(m.id),
      data: { scoreA: input.scoreA, scoreB: input.scoreB },
    });
    const { rows } = await sql<{ outcome: "completed" | "disputed" | null }>`
      with mine as (
        insert into match_reports (match_id, registration_id, reported_by, score_a, score_b, games, evidence)
        values (${m.id}, ${mine}, ${actor.userId}, ${input.scoreA}, ${input.scoreB}, ${JSON.stringify(games)}::jsonb, ${input.evidence ?? ""})
        on conflict (match_id, registration_id) do update
          set score_a = excluded.score_a, score_b = excluded.score_b, games = excluded.games,
              evidence = excluded.evidence, reported_by = excluded.reported_by, created_at = now()
        returning id, ${audited}
      ), other as (
        select registration_id, score_a, score_b, (score_a = ${input.scoreA} and score_b = ${input.scoreB}) as agrees
          from match_reports where match_id = ${m.id} and registration_id <> ${mine}
      ), ${done.ctes}, disputed as (
        update matches set state = 'disputed' where id = ${m.id} and exists (select 1 from other where not agrees)
        returning id
      ), completed_hook as (${completedHook(m, score, done.winnerId).insert}),
      dispute_hook as (${disputeHook.insert})
      select case when exists (select 1 from done) then 'completed'
                  when exists (select 1 from disputed) then 'disputed' end as outcome`.execute(trx);
    const outcome = rows[0]?.outcome ?? null;
    if (outcome === "completed") {
      await recordStreaks(deps, trx, afterCommit, m, done.winnerId);
      announceMatch(afterCommit, m.tournament_id, { matchId: m.id, state: "completed" });
    } else if (outcome === "disputed")
      announceMatch(afterCommit, m.tournament_id, { matchId: m.id, state: "disputed" });
  });
  return matchById(deps.db, input.matchId);
}

/**
 * The organizer settles a match: resolves a dispute, overrides any result (resetting every match
 * that depended on the old one) or records a forfeit / no-show (`forfeit` names the side that
 * forfeits; the other wins by the minimum score).
 */
export async function resolveMatch(
  deps: DomainDeps,
  actor: Actor,
  input: {
    matchId: number;
    scoreA?: number | undefined;
    scoreB?: number | undefined;
    games?: GameScore[] | undefined;
    forfeit?: "a" | "b" | undefined;
  },
): Promise<MatchDto> {
  await withTransaction(deps.db, async (trx, afterCommit) => {
    const m = await lockMatch(trx, actor, input.matchId);
    if (m.is_organizer !== true) throw forbidden("Only the tournament's organizer may settle a match");
    if (m.side_a_id == null || m.side_b_id == null || m.state === "void")
      throw preconditionFailed("Both sides of the match must be known", "MATCH_NOT_READY");
    const need = Math.ceil(m.best_of / 2);
    let score: { scoreA: number; scoreB: number; games: GameScore[]; forfeit: boolean };
    if (input.forfeit)
      score = {
        scoreA: input.forfeit === "a" ? 0 : need,
        scoreB: input.forfeit === "b" ? 0 : need,
        games: [],
        forfeit: true,
      };
    else {
      if (input.scoreA === undefined || input.scoreB === undefined)
        throw badRequest("Give the score, or the side that forfeits", "SCORE_REQUIRED", "scoreA");
      const s = { scoreA: input.scoreA, scoreB: input.scoreB, games: input.games };
      score = { scoreA: s.scoreA, scoreB: s.scoreB, games: checkScore(m.best_of, s), forfeit: false };
    }
    if (m.state === "completed") await resetDependents(trx, m.id);
    await finish(deps, trx, afterCommit, m, score, {
      actorId: actor.userId,
      action: m.state === "completed" ? "match.overridden" : "match.resolved",
      entityType: "match",
      entityId: String(m.id),
      data: { ...score, games: undefined, previousState: m.state },
    });
    // A correction reset the matches downstream: the bracket itself changed.
    announceMatch(afterCommit, m.tournament_id, { matchId: m.id, state: "completed" }, m.state === "completed");
  });
  return matchById(deps.db, input.matchId);
}

/** The match columns; `withEvidence` only for those who may see what participants uploaded. */
function matchQuery(db: Kysely<Database>, withEvidence = true) {
  const name = (col: "m.side_a_id" | "m.side_b_id") =>
    sql<{ registrationId: number; name: string } | null>`(
      select json_build_object('registrationId', r.id, 'name', coalesce(tm.name, u.username::text))
      from registrations r join users u on u.id = r.user_id left join teams tm on tm.id = r.team_id
      where r.id = ${sql.ref(col)})`;
  return db.selectFrom("matches as m").select([
    "m.id",
    "m.bracket",
    "m.round",
    "m.position",
    "m.group_no",
    "m.best_of",
    "m.state",
    "m.score_a",
    "m.score_b",
    "m.games",
    "m.winner_id",
    "m.is_forfeit",
    name("m.side_a_id").as("side_a"),
    name("m.side_b_id").as("side_b"),
    sql<MatchDto["reports"]>`coalesce((
        select json_agg(json_build_object('registrationId', mr.registration_id, 'scoreA', mr.score_a,
          'scoreB', mr.score_b${withEvidence ? sql`, 'evidence', mr.evidence` : sql``}) order by mr.id)
        from match_reports mr where mr.match_id = m.id), '[]')`.as("reports"),
  ]);
}

type MatchRow = Awaited<ReturnType<ReturnType<typeof matchQuery>["execute"]>>[number];

const toMatch = (r: MatchRow): MatchDto => ({
  id: r.id,
  bracket: r.bracket,
  round: r.round,
  position: r.position,
  groupNo: r.group_no,
  bestOf: r.best_of,
  state: r.state,
  sideA: r.side_a,
  sideB: r.side_b,
  scoreA: r.score_a,
  scoreB: r.score_b,
  games: r.games,
  winnerId: r.winner_id,
  isForfeit: r.is_forfeit,
  reports: r.reports,
});

export async function matchById(db: Kysely<Database>, id: number): Promise<MatchDto> {
  const row = await matchQuery(db).where("m.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("Match", "matchId");
  return toMatch(row);
}

/** Matches of a tournament (optionally in one state), bracket order, one statement. */
/**
 * A page of a tournament's matches in bracket order — ids are handed out in that order when a
 * bracket (or a Swiss round) is stored, so the keyset is the id. A tournament the viewer may not
 * see is NOT_FOUND (one statement: the tournament and the page).
 */
export async function listMatches(
  deps: Pick<DomainDeps, "db">,
  viewer: Actor | undefined,
  input: { tournamentSlug: string; state?: MatchState | undefined; cursor?: number | undefined; limit: number },
): Promise<{ items: PublicMatchDto[]; nextCursor: number | null }> {
  const row = await deps.db
    .selectFrom("tournaments as t")
    .select([
      "t.id",
      jsonArrayFrom(
        matchQuery(deps.db, false)
          .where("m.tournament_id", "=", sql.ref<number>("t.id"))
          .$if(input.state !== undefined, (q) => q.where("m.state", "=", input.state!))
          .$if(input.cursor !== undefined, (q) => q.where("m.id", ">", input.cursor!))
          .orderBy("m.id")
          .limit(input.limit + 1),
      ).as("matches"),
    ])
    .where("t.slug", "=", input.tournamentSlug)
    .where("t.is_deleted", "=", false)
    .where((eb) => canViewTournament(eb, viewer))
    .executeTakeFirst();
  if (!row) throw notFound("Tournament", "tournamentSlug");
  const items = row.matches.slice(0, input.limit).map((m) => toMatch(m) as PublicMatchDto);
  return { items, nextCursor: row.matches.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * One match with its reports' evidence, for those who play in it or run the tournament (and
 * staff); FORBIDDEN to others, NOT_FOUND when its tournament is hidden from them. One statement.
 */
export async function matchForParticipant(
  deps: Pick<DomainDeps, "db">,
  actor: Actor,
  matchId: number,
): Promise<MatchDto> {
  const row = await matchQuery(deps.db)
    .innerJoin("tournaments as t", "t.id", "m.tournament_id")
    .select((eb) => [
      canManageTournament(eb, actor).as("is_organizer"),
      playsSide(actor, "m.side_a_id").as("is_side_a"),
      playsSide(actor, "m.side_b_id").as("is_side_b"),
      canViewTournament(eb, actor).as("visible"),
    ])
    .where("m.id", "=", matchId)
    .where("t.is_deleted", "=", false)
    .executeTakeFirst();
  if (!row || row.visible !== true) throw notFound("Match", "matchId");
  if (row.is_organizer !== true && !row.is_side_a && !row.is_side_b)
    throw forbidden("Only the match's participants and the tournament's organizers see its reports");
  return toMatch(row);
}

/** The organizer pairs the next Swiss round once every match of the current one is done. */
export async function nextSwissRound(deps: DomainDeps, actor: Actor, slug: string): Promise<{ round: number }> {
  return withTransaction(deps.db, async (trx) => {
    const t = await lockForOrganizer(trx, actor, slug);
    if (t.format !== "swiss") throw preconditionFailed("Only a Swiss tournament has rounds to pair", "NOT_SWISS");
    if (t.status !== "in_progress")
      throw preconditionFailed("The tournament is not in progress", "TOURNAMENT_NOT_RUNNING");
    const matches = await trx
      .selectFrom("matches")
      .select(["round", "state", "side_a_id", "side_b_id", "winner_id"])
      .where("tournament_id", "=", t.id)
      .execute();
    if (matches.some((m) => m.state !== "completed"))
      throw preconditionFailed("Finish every match of the round first", "ROUND_NOT_FINISHED");
    const settings = settingsOf(t.settings);
    const entrants = new Map<
      number,
      { id: number; score: number; seed: number; opponents: Set<number>; hadBye: boolean }
    >();
    const get = (id: number) => {
      let e = entrants.get(id);
      if (!e) entrants.set(id, (e = { id, score: 0, seed: id, opponents: new Set(), hadBye: false }));
      return e;
    };
    let round = 0;
    for (const m of matches) {
      round = Math.max(round, m.round);
      const a = get(m.side_a_id!);
      if (m.side_b_id == null) a.hadBye = true;
      else {
        const b = get(m.side_b_id);
        a.opponents.add(b.id);
        b.opponents.add(a.id);
      }
      if (m.winner_id != null) get(m.winner_id).score += 1;
    }
    const total = settings.swissRounds ?? Math.max(1, Math.ceil(Math.log2(entrants.size)));
    if (round >= total) throw preconditionFailed(`All ${total} rounds have been played`, "ROUNDS_DONE");
    const paired = pairSwissRound([...entrants.values()], round + 1);
    if (!paired) throw preconditionFailed("No pairing without a rematch exists", "NO_PAIRING");
    await storeMatches(trx, t.id, paired.matches, settings.bestOf, paired.bye, round + 1);
    return { round: round + 1 };
  });
}
