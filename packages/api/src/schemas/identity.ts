import { z } from "zod";
import { isoDate, safeString, username } from "./common.ts";
import { plainText } from "./text.ts";

export const publicUser = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  isStaff: z.boolean(),
  createdAt: isoDate,
});

export const signUpInput = z.object({
  username,
  email: z.email().max(254),
  password: safeString().min(10, "at least 10 characters").max(200),
  displayName: plainText(1, 64).optional(),
});

export const signInInput = z.object({
  login: safeString().trim().min(1).max(254),
  password: safeString().min(1).max(200),
});

export const authResult = z.object({ token: z.string(), expiresAt: isoDate, user: publicUser });
