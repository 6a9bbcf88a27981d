import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { isDjangoPbkdf2, verifyDjangoPbkdf2 } from "./django-password.ts";

const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function params(cost: number): ScryptOptions {
  // maxmem must cover 128 * N * r bytes, with headroom.
  return { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 };
}

/** `scrypt$N$r$p$salt$hash`: the cost travels with the hash, so it can be raised later. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params(cost));
  return `scrypt$${cost}$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Verifies against scrypt hashes and, for accounts imported from the old site, Django's pbkdf2. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (isDjangoPbkdf2(stored)) return verifyDjangoPbkdf2(password, stored);
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const cost = Number(n);
  const expected = Buffer.from(hash, "base64url");
  const key = await scrypt(password, Buffer.from(salt, "base64url"), {
    ...params(cost),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash in a format other than ours (an imported Django hash): replace it after a good sign-in. */
export function needsRehash(stored: string): boolean {
  return isDjangoPbkdf2(stored);
}
