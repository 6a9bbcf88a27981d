import { z } from "zod";
import { isoDate, username } from "./common.ts";

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
  password: z.string().min(10, "at least 10 characters").max(200),
  displayName: z.string().trim().min(1).max(64).optional(),
});

export const signInInput = z.object({
  login: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const authResult = z.object({ token: z.string(), expiresAt: isoDate, user: publicUser });
