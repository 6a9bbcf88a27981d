import type { Database } from "@deltacrown/db";
import { sql, type AliasableExpression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Actor } from "../shared/deps.ts";

/** Organization roles that may run the organization's tournaments. */
export const ORG_TOURNAMENT_ADMINS = ["owner", "admin"] as const;

/**
 * "May the actor manage tournament t?" as one SQL boolean, read live inside the statement that
 * loads the tournament: its creator, the owner/admins of its organization, or staff.
 */
export function canManageTournament(
  eb: ExpressionBuilder<Database & { t: Database["tournaments"] }, "t">,
  actor: Actor,
): AliasableExpression<SqlBool> {
  if (actor.isStaff) return sql<SqlBool>`true`;
  return eb.or([
    eb("t.organizer_id", "=", actor.userId),
    eb.exists(
      eb
        .selectFrom("organizations as o")
        .select(sql`1`.as("one"))
        .whereRef("o.id", "=", "t.organization_id")
        .where((e) =>
          e.or([
            e("o.owner_id", "=", actor.userId),
            e.exists(
              e
                .selectFrom("organization_memberships as om")
                .select(sql`1`.as("one"))
                .whereRef("om.organization_id", "=", "o.id")
                .where("om.user_id", "=", actor.userId)
                .where("om.role", "in", ORG_TOURNAMENT_ADMINS),
            ),
          ]),
        ),
    ),
  ]);
}

/**
 * "May the viewer see tournament t?" as one SQL boolean: a published (or later) tournament is
 * public; a draft only shows to those who manage it (and staff). Everyone else gets NOT_FOUND,
 * as if it did not exist. `viewer` undefined: an anonymous caller.
 */
export function canViewTournament(
  eb: ExpressionBuilder<Database & { t: Database["tournaments"] }, "t">,
  viewer: Actor | undefined,
): AliasableExpression<SqlBool> {
  if (!viewer) return eb("t.status", "<>", "draft");
  return eb.or([eb("t.status", "<>", "draft"), canManageTournament(eb, viewer)]);
}
