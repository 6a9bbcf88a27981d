import { randomUUID } from "node:crypto";
import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { forbidden, notFound, preconditionFailed } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { applyLedger } from "./ledger.ts";

export interface AdjustCpInput {
  teamSlug: string;
  delta: number;
  reason: string;
}

export interface AdjustCpResult {
  teamSlug: string;
  delta: number;
  currentCp: number;
}

/**
 * Staff-only manual CP correction with a reason: a `manual` ledger row, the precomputed sum, and
 * an audit entry in one transaction. `actor.isStaff` was read live with the session this call.
 */
export async function adjustCp(deps: DomainDeps, actor: Actor, input: AdjustCpInput): Promise<AdjustCpResult> {
  if (!actor.isStaff) throw forbidden("Only staff may adjust CP");
  const team = await deps.db
    .selectFrom("teams as t")
    .leftJoin("team_rankings as r", (j) => j.onRef("r.team_id", "=", "t.id").onRef("r.game_id", "=", "t.game_id"))
    .select(["t.id", "t.slug", "t.game_id", "r.current_cp"])
    .where("t.slug", "=", input.teamSlug)
    .executeTakeFirst();
  if (!team) throw notFound("Team", "teamSlug");
  if ((team.current_cp ?? 0) + input.delta < 0)
    throw preconditionFailed("CP cannot go below zero", "CP_WOULD_BE_NEGATIVE");
  const sourceId = randomUUID();
  try {
    return await withTransaction(deps.db, async (trx, afterCommit) => {
      const [applied] = await applyLedger(
        trx,
        {
          gameId: team.game_id,
          sourceType: "manual",
          sourceId,
          reason: input.reason,
          actorId: actor.userId,
          touchActivity: false,
        },
        [{ teamId: team.id, delta: input.delta }],
      );
      if (!applied) throw notFound("Team", "teamSlug");
      await audit(trx, {
        actorId: actor.userId,
        action: "rankings.adjust",
        entityType: "team",
        entityId: String(team.id),
        data: { delta: input.delta, reason: input.reason, sourceId, currentCp: applied.currentCp },
      });
      afterCommit(() => deps.cache.invalidate("teamDetail", team.slug));
      return { teamSlug: team.slug, delta: input.delta, currentCp: applied.currentCp };
    });
  } catch (error) {
    // A concurrent change took CP below zero between the check and the write.
    if ((error as { constraint?: string }).constraint === "team_rankings_cp_nonnegative")
      throw preconditionFailed("CP cannot go below zero", "CP_WOULD_BE_NEGATIVE");
    throw error;
  }
}
