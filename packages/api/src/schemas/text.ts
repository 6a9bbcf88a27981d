/**
 * The text policy (domain `textPolicy`) as zod building blocks: every name, free text and URL
 * input of every schema is one of these.
 */
import { textPolicy } from "@deltacrown/domain";
import { z } from "zod";
import { safeString } from "./common.ts";

/**
 * A name or tag: plain text, NFC, trimmed, `min`–`max` characters; control, bidirectional,
 * invisible characters and markup refused.
 */
export const plainText = (min: number, max: number) =>
  safeString()
    .normalize("NFC")
    .trim()
    .min(min)
    .max(max)
    .refine((value) => textPolicy.plainTextProblem(value) === null, {
      error: (issue) => textPolicy.plainTextProblem(String(issue.input))?.message ?? "not plain text",
    });

const sanitized = (rich: boolean) => (value: string, ctx: z.RefinementCtx<string>) => {
  try {
    return textPolicy.sanitizeFreeText(value, { rich });
  } catch (error) {
    if (!(error instanceof textPolicy.UnsafeTextError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message, input: value });
    return z.NEVER;
  }
};

/**
 * Free text (descriptions, notes, reasons): at most `max` characters as sent, stored sanitized
 * (plain text, markup stripped), then at least `min` characters.
 */
export const freeText = (max: number, min = 0) =>
  safeString().max(max).transform(sanitized(false)).pipe(z.string().min(min));

/** Rich text (tournament rules): HTML reduced to the policy's small allow-list. */
export const richText = (max: number) => safeString().max(max).transform(sanitized(true));

/** An absolute URL with one of `schemes` (never `javascript:`, `data:` …), at most `max` characters. */
export const webUrl = (schemes: readonly textPolicy.UrlScheme[], max = 500) =>
  safeString()
    .trim()
    .max(max)
    .refine((value) => textPolicy.isAllowedUrl(value, schemes), `must be an ${schemes.join(": or ")}: URL`);
