/**
 * Cookie sessions for browsers: the session token in an HttpOnly cookie (script cannot read it),
 * next to the bearer token that non-browser clients send. A cookie travels with every request the
 * browser makes, whoever's page starts it, so a cookie-authenticated mutation is accepted only
 * from a trusted Origin (see `originCheck` in trpc.ts).
 */

/** The cookie's name. */
export const SESSION_COOKIE = "dc_session";

/**
 * Sent (value `cookie`) with `identity.signIn` / `identity.signUp` by a client in cookie mode:
 * the server then sets the session cookie. A header, not an input field, so the procedures' inputs
 * stay the same for every client.
 */
export const SESSION_MODE_HEADER = "x-deltacrown-session";

/** Where the call's session token came from: a cookie is ambient (sent by the browser on its own). */
export type TokenSource = "bearer" | "cookie";

/** What a procedure may do with the session cookie (absent where the transport cannot set one). */
export interface SessionCookie {
  /** The client asked for a cookie session (the SESSION_MODE_HEADER). */
  readonly requested: boolean;
  /** Sets the cookie for this token until `expiresAt` (ISO date). */
  set(token: string, expiresAt: string): void;
  /** Removes the cookie. */
  clear(): void;
}

/** The session cookie's value in a Cookie header, or null. */
export function sessionCookieToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header.join("; ") : header;
  if (!value) return null;
  for (const part of value.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const token = part.slice(eq + 1).trim();
    // Tokens are URL-safe; anything else is not one of ours.
    return /^[A-Za-z0-9_.~-]{1,512}$/.test(token) ? token : null;
  }
  return null;
}

/**
 * The Set-Cookie header value: HttpOnly, SameSite=Lax (sent on same-site requests, so a browser
 * app on a sibling origin — app.example.com → api.example.com, or another port in development —
 * keeps its session), Secure unless `secure` is false (development over plain http).
 */
export function sessionCookieHeader(token: string | null, options: { secure: boolean; maxAgeSeconds: number }): string {
  const attributes = [
    `${SESSION_COOKIE}=${token ?? ""}`,
    "Path=/",
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (options.secure) attributes.push("Secure");
  return attributes.join("; ");
}

/** A SessionCookie that writes Set-Cookie headers through `setHeader`. */
export function sessionCookieFor(
  requested: boolean,
  secure: boolean,
  appendSetCookie: (value: string) => void,
): SessionCookie {
  return {
    requested,
    set(token, expiresAt) {
      const maxAgeSeconds = (Date.parse(expiresAt) - Date.now()) / 1000;
      appendSetCookie(sessionCookieHeader(token, { secure, maxAgeSeconds }));
    },
    clear() {
      appendSetCookie(sessionCookieHeader(null, { secure, maxAgeSeconds: 0 }));
    },
  };
}
