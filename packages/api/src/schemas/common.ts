/**
 * The shared building blocks of every input schema: hostile input is refused here, at the edge,
 * with BAD_REQUEST and a field path — never a 500 from Postgres. Ids are bounded to their column's
 * type, cursors decode or are refused, dates lie in a sane range, and no string carries NUL.
 * Names, free text and URLs follow the one text policy (./text.ts).
 */
import { z } from "zod";
import { TEAM_ROLES } from "@deltacrown/db";
import { textPolicy } from "@deltacrown/domain";

/** Every string input refuses NUL (Postgres cannot store it). */
export const safeString = () => z.string().regex(/^[^\u0000]*$/, "must not contain NUL characters");

export const slug = z
  .string()
  .trim()
  .min(2)
  .max(textPolicy.SLUG_MAX)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/i, "use letters, digits and single hyphens");
export const username = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '_', '.' and '-'");

export const INT4_MAX = 2_147_483_647;

/**
 * The type of each id column an input can name (`integer` or `bigint`), as the migrations create
 * them; a test compares this table with the migrated schema.
 */
export const ID_COLUMNS = {
  team_invites: "integer",
  notifications: "integer",
  registrations: "integer",
  payments: "integer",
  matches: "integer",
  teams: "integer",
  organization_memberships: "integer",
  cp_ledger: "bigint",
  wallet_entries: "bigint",
  webhook_endpoints: "integer",
  team_posts: "integer",
  team_sponsors: "integer",
  team_promotions: "integer",
} as const;
export type IdTable = keyof typeof ID_COLUMNS;

/**
 * An id of `table`, bounded to its column: int4 ids to 2^31−1, bigint ids to 2^53−1 (the largest
 * a JSON number carries exactly). The metadata lets the router-walk test find every id input.
 */
export const idOf = (table: IdTable) =>
  z
    .number()
    .int()
    .positive()
    .max(ID_COLUMNS[table] === "bigint" ? Number.MAX_SAFE_INTEGER : INT4_MAX, `not an id of ${table}`)
    .meta({ idColumn: `${table}.id` });

/** Contract §4.1: no list returns more than 50 items a page. */
export const limit = z.number().int().min(1).max(50).default(20);

/** Dates an input may carry: from 2000 to the end of 2100 (a year −200000 is refused, not a 500). */
export const DATE_MIN = new Date("2000-01-01T00:00:00.000Z");
export const DATE_MAX = new Date("2100-12-31T23:59:59.999Z");
export const dateInRange = z.coerce
  .date({ error: "not a date" })
  .min(DATE_MIN, "must be in the year 2000 or later")
  .max(DATE_MAX, "must be in the year 2100 or earlier");

/**
 * A keyset cursor `<epoch ms>:<id>` (a time and an int4 id), as the lists ordered by a time hand
 * out; it decodes to `{ at, id }` or is refused (an impossible time, an id out of range).
 */
export const timeIdCursor = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const match = /^(\d{1,16}):(\d{1,10})$/.exec(value);
    const at = match ? new Date(Number(match[1])) : undefined;
    const id = match ? Number(match[2]) : Number.NaN;
    if (!at || Number.isNaN(at.getTime()) || at < DATE_MIN || at > DATE_MAX || !(id >= 1 && id <= INT4_MAX)) {
      ctx.addIssue({ code: "custom", message: "a cursor from a previous page", input: value });
      return z.NEVER;
    }
    return { at, id };
  });

/**
 * A keyset cursor `<placement>.<id>` (lists ordered by placement: standings, certificates); it
 * decodes to `{ placement, id }` or is refused.
 */
export const placementCursor = z
  .string()
  .max(20)
  .transform((value, ctx) => {
    const match = /^(\d{1,4})\.(\d{1,10})$/.exec(value);
    const id = match ? Number(match[2]) : Number.NaN;
    if (!match || !(id >= 1 && id <= INT4_MAX)) {
      ctx.addIssue({ code: "custom", message: "a cursor from a previous page", input: value });
      return z.NEVER;
    }
    return { placement: Number(match[1]), id };
  });

export const isoDate = z.string();
export const teamRole = z.enum(TEAM_ROLES);
export const inviteRole = z.enum(["manager", "captain", "coach", "player", "substitute"]);

/** A page of items with an opaque cursor for the next one (null at the end). */
export const cursorPageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.number().nullable() });
