/**
 * The abuse limits: how many points a key may take per window, and how long it stays refused
 * once over (0: until the window ends). One point per call (or per failed sign-in). Each has an
 * environment variable `points/seconds[/blockSeconds]` (README "Security › Abuse limits").
 */
export interface Limit {
  points: number;
  durationSeconds: number;
  blockSeconds: number;
}

export const LIMIT_NAMES = [
  "general",
  "signInAddress",
  "signInConsecutive",
  "signInAccount",
  "signUp",
  "invites",
  "transfers",
  "registrations",
  "webhooks",
  "uploads",
] as const;

export type LimitName = (typeof LIMIT_NAMES)[number];
export type LimitsConfig = Record<LimitName, Limit>;

const limit = (points: number, durationSeconds: number, blockSeconds = 0): Limit => ({
  points,
  durationSeconds,
  blockSeconds,
});

export const defaultLimits: LimitsConfig = {
  /** Every call (each call of a batch counts), per client address. */
  general: limit(600, 60),
  /** Failed sign-ins per client address, whatever the account. */
  signInAddress: limit(50, 3600),
  /** Consecutive failed sign-ins per account and address; a success resets it. */
  signInConsecutive: limit(10, 3600, 900),
  /**
   * Failed sign-ins per account from every address: a short lock (60 s) that never applies to an
   * address the account signed in from before, so it slows distributed guessing without letting
   * an attacker keep the owner out.
   */
  signInAccount: limit(50, 600, 60),
  /** Sign-ups per client address. */
  signUp: limit(10, 3600),
  /** Invites sent per account. */
  invites: limit(50, 3600),
  /** Wallet transfers per account. */
  transfers: limit(30, 60),
  /** Tournament registrations per account. */
  registrations: limit(20, 3600),
  /** Webhook endpoints registered per account. */
  webhooks: limit(10, 3600),
  /** Images uploaded per account (POST /uploads). */
  uploads: limit(30, 3600),
};

/** The environment variable of each limit. */
export const LIMIT_ENV: Record<LimitName, string> = {
  general: "RATE_LIMIT_GENERAL",
  signInAddress: "RATE_LIMIT_SIGNIN_ADDRESS",
  signInConsecutive: "RATE_LIMIT_SIGNIN_CONSECUTIVE",
  signInAccount: "RATE_LIMIT_SIGNIN_ACCOUNT",
  signUp: "RATE_LIMIT_SIGNUP",
  invites: "RATE_LIMIT_INVITES",
  transfers: "RATE_LIMIT_TRANSFERS",
  registrations: "RATE_LIMIT_REGISTRATIONS",
  webhooks: "RATE_LIMIT_WEBHOOKS",
  uploads: "RATE_LIMIT_UPLOADS",
};

/** "points/seconds" or "points/seconds/blockSeconds", e.g. "10/3600/900"; undefined when malformed. */
export function parseLimit(text: string): Limit | undefined {
  const match = /^(\d{1,9})\/(\d{1,9})(?:\/(\d{1,9}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [points, duration, block] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (points < 1 || duration < 1) return undefined;
  return limit(points, duration, block);
}

export const formatLimit = (l: Limit) =>
  `${l.points}/${l.durationSeconds}${l.blockSeconds ? `/${l.blockSeconds}` : ""}`;
