import { z } from "zod";
import { TEAM_ROLES } from "@deltacrown/db";

export const slug = z
  .string()
  .trim()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/i, "use letters, digits and single hyphens");
export const username = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '_', '.' and '-'");
export const id = z.number().int().positive();
export const cursor = id.optional();
/** Contract §4.1: no list returns more than 50 items a page. */
export const limit = z.number().int().min(1).max(50).default(20);
export const isoDate = z.string();
export const teamRole = z.enum(TEAM_ROLES);
export const inviteRole = z.enum(["manager", "captain", "coach", "player", "substitute"]);

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: id.nullable() });
