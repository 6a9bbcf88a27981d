import type { RouterOutputs } from "@deltacrown/client";

export type Tournament = RouterOutputs["tournaments"]["bySlug"];
export type TournamentSummary = RouterOutputs["tournaments"]["list"]["items"][number];
export type Registration = RouterOutputs["registrations"]["byId"];
export type PublicMatch = RouterOutputs["matches"]["list"]["items"][number];
export type TournamentStatus = Tournament["status"];
export type Format = Tournament["format"];

export const FORMAT_LABELS: Record<Format, string> = {
  single_elimination: "Single elimination",
  double_elimination: "Double elimination",
  round_robin: "Round robin",
  swiss: "Swiss",
};

export const STATUS_LABELS: Record<TournamentStatus, string> = {
  draft: "Draft",
  published: "Published",
  registration_open: "Registration open",
  registration_closed: "Registration closed",
  in_progress: "In progress",
  completed: "Completed",
  cancelled: "Cancelled",
};

/** The statuses discovery can filter by (drafts are never listed). */
export const LISTED_STATUSES = [
  "published",
  "registration_open",
  "registration_closed",
  "in_progress",
  "completed",
  "cancelled",
] as const satisfies readonly TournamentStatus[];

export const BRACKET_LABELS: Record<string, string> = {
  winners: "Winners' bracket",
  losers: "Losers' bracket",
  grand_final: "Grand final",
  third_place: "Third place",
  group: "Group",
  swiss: "Swiss",
};

export function money(cents: number, currency: string): string {
  if (cents === 0) return "Free";
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

/** The fee as a discovery card shows it (the summary carries no currency: coins or the default). */
export function fee(cents: number): string {
  return cents === 0 ? "Free" : (cents / 100).toFixed(2);
}

export function when(iso: string | null): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** A Date as the value of an `<input type="datetime-local">` (local time, minutes). */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The lifecycle table of the API (packages/domain lifecycle.ts), for offering only legal steps. */
export const TRANSITIONS = {
  publish: { from: ["draft"], label: "Publish" },
  openRegistration: { from: ["published", "registration_closed"], label: "Open registration" },
  closeRegistration: { from: ["registration_open"], label: "Close registration" },
  start: { from: ["registration_closed"], label: "Start tournament" },
  complete: { from: ["in_progress"], label: "Complete tournament" },
  cancel: {
    from: ["draft", "published", "registration_open", "registration_closed", "in_progress"],
    label: "Cancel tournament",
  },
} as const satisfies Record<string, { from: readonly TournamentStatus[]; label: string }>;
export type Action = keyof typeof TRANSITIONS;

export function legalActions(status: TournamentStatus): Action[] {
  return (Object.keys(TRANSITIONS) as Action[]).filter((a) =>
    (TRANSITIONS[a].from as readonly TournamentStatus[]).includes(status),
  );
}

/** Where a participant stands now: a short sentence for the registration panel. */
export function entryStatus(r: Registration): string {
  switch (r.status) {
    case "waitlisted":
      return `On the waitlist, position ${r.waitlistPosition ?? "?"}`;
    case "pending":
      return "Pending the organizer's confirmation";
    case "confirmed":
      return r.checkedInAt ? "Confirmed and checked in" : "Confirmed";
    default:
      return r.status.charAt(0).toUpperCase() + r.status.slice(1);
  }
}
