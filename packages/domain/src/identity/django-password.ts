import { pbkdf2, timingSafeEqual } from "node:crypto";

/**
 * Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, the format of every password the old
 * site stored (`pnpm import:legacy` copies them as they are). Verified here so they keep working;
 * sign-in then replaces them with the current scrypt hash.
 */
const DJANGO_PBKDF2 = /^pbkdf2_sha256\$(\d{1,8})\$([^$]{1,128})\$([A-Za-z0-9+/]{43}=)$/;

export function isDjangoPbkdf2(stored: string): boolean {
  return DJANGO_PBKDF2.test(stored);
}

/** Django encodes the password as UTF-8 without normalising it; neither do we. */
export async function verifyDjangoPbkdf2(password: string, stored: string): Promise<boolean> {
  const match = DJANGO_PBKDF2.exec(stored);
  if (!match) return false;
  const iterations = Number(match[1]);
  if (iterations < 1) return false;
  const expected = Buffer.from(match[3]!, "base64");
  const key = await new Promise<Buffer>((resolve, reject) =>
    pbkdf2(password, match[2]!, iterations, expected.length, "sha256", (err, derived) =>
      err ? reject(err) : resolve(derived),
    ),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}
