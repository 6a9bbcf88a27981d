import type { TournamentStatus } from "@deltacrown/db";
import { preconditionFailed } from "../shared/errors.ts";

/** Every lifecycle action, the statuses it may start from, and where it leads. One table, no ifs. */
export const TRANSITIONS = {
  publish: { from: ["draft"], to: "published" },
  openRegistration: { from: ["published", "registration_closed"], to: "registration_open" },
  closeRegistration: { from: ["registration_open"], to: "registration_closed" },
  start: { from: ["registration_closed"], to: "in_progress" },
  complete: { from: ["in_progress"], to: "completed" },
  cancel: { from: ["draft", "published", "registration_open", "registration_closed", "in_progress"], to: "cancelled" },
} as const satisfies Record<string, { from: readonly TournamentStatus[]; to: TournamentStatus }>;

export type TournamentAction = keyof typeof TRANSITIONS;

/** Statuses in which a tournament may be soft-deleted (never while it runs or takes entries). */
export const DELETABLE: readonly TournamentStatus[] = ["draft", "cancelled", "completed"];
/** Statuses shown in public discovery by default. */
export const LISTED: readonly TournamentStatus[] = [
  "published",
  "registration_open",
  "registration_closed",
  "in_progress",
];

/** Throws PRECONDITION_FAILED (reason ILLEGAL_TRANSITION) unless `action` may run from `status`. */
export function assertTransition(action: TournamentAction, status: TournamentStatus): TournamentStatus {
  const rule = TRANSITIONS[action];
  if (!(rule.from as readonly TournamentStatus[]).includes(status))
    throw preconditionFailed(
      `Cannot ${action} a tournament that is ${status} (allowed from: ${rule.from.join(", ")})`,
      "ILLEGAL_TRANSITION",
    );
  return rule.to;
}
