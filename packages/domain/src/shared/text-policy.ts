/**
 * The one text policy (OWASP ASVS V5: validate at the edge, sanitize at write time, encode at
 * output). Every input schema of the API builds its strings from these functions, and the domain
 * derives slugs with the same module, so names, free text, URLs and slugs follow one rule set.
 *
 * - Names and tags are plain text: NFC, trimmed, and refused when they carry control characters,
 *   bidirectional embeddings/overrides/isolates, invisible (zero-width) characters or markup.
 * - Free text (descriptions, notes, reasons) is cleaned at write time: the same characters are
 *   removed instead of refused, and `sanitize-html` strips every tag, so what is stored is plain
 *   text without markup. Rich text (tournament rules) keeps a small allow-list of tags.
 * - URLs are absolute `https:` (or `http:` where a person would expect it), nothing else.
 * - Every name yields a non-empty, readable slug (transliterated), or a short random one.
 */
import { randomInt } from "node:crypto";
import anyAscii from "any-ascii";
import sanitizeHtml from "sanitize-html";

/** NUL: Postgres text cannot store it (a 500 before this policy); refused in every string. */
export const NUL = /\u0000/;

/** C0 and C1 control characters (BEL, ESC, NUL, line breaks …). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidirectional marks, embeddings, overrides and isolates: they reorder what a reader sees. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/**
 * Invisible characters: zero-width space/non-joiner, word joiner and invisible operators, BOM,
 * soft hyphen, Mongolian vowel separator, line/paragraph separators. The zero-width joiner is
 * invisible too, except between two pictographs, where it builds one emoji (👨‍👩‍👧).
 */
const INVISIBLE =
  /[\u00ad\u180e\u200b\u200c\u2028\u2029\u2060-\u2064\ufeff]|(?<!\p{Extended_Pictographic}\ufe0f?)\u200d|\u200d(?!\p{Extended_Pictographic})/u;
/** What an HTML parser takes for the start of a tag, comment or declaration. */
const MARKUP = /<[a-z!/?]/i;

export type PlainTextProblem = "control" | "bidi" | "invisible" | "markup";

const PROBLEMS: readonly [PlainTextProblem, RegExp, string][] = [
  ["control", CONTROL, "must not contain control characters"],
  ["bidi", BIDI, "must not contain bidirectional control characters"],
  ["invisible", INVISIBLE, "must not contain invisible (zero-width) characters"],
  ["markup", MARKUP, "must be plain text, without markup"],
];

/** What is wrong with a name or tag under the plain-text rule, or null when it is fine. */
export function plainTextProblem(value: string): { problem: PlainTextProblem; message: string } | null {
  for (const [problem, pattern, message] of PROBLEMS) if (pattern.test(value)) return { problem, message };
  return null;
}

/** NFC and trimmed: the stored form of every name (one spelling per visible string). */
export const normalizePlainText = (value: string): string => value.normalize("NFC").trim();

const STRIP_IN_FREE_TEXT = new RegExp(`(?![\\t\\n])${CONTROL.source}|${BIDI.source}|${INVISIBLE.source}`, "gu");

/** Every tag and attribute removed; the text of script/style-like elements dropped with them. */
const PLAIN: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {} };

/** The small allow-list of rich text: structure and emphasis, and links to web pages only. */
const RICH: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "h3", "h4", "blockquote", "a"],
  allowedAttributes: { a: ["href", "rel"] },
  allowedSchemes: ["https", "http"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow" }) },
};

/** sanitize-html escapes text as HTML; stored plain text keeps the characters themselves. */
const unescapeText = (html: string) =>
  html.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&amp;", "&");

/** A text nested deeper than this in entity-encoded markup (`&amp;lt;script…`) is refused. */
const MAX_UNWRAP = 5;

export class UnsafeTextError extends Error {
  override readonly name = "UnsafeTextError";
}

/**
 * Free text as it is stored: NFC, invisible and control characters (but tab and newline) removed,
 * CRLF as LF, and no markup — tags stripped by sanitize-html until a pass changes nothing, so
 * markup hidden behind entities (`&lt;script&gt;`) goes too. `rich`: the allow-list above is kept
 * and the result is HTML (entities stay encoded).
 */
export function sanitizeFreeText(value: string, options: { rich?: boolean } = {}): string {
  const text = value.normalize("NFC").replaceAll("\r\n", "\n").replace(STRIP_IN_FREE_TEXT, "");
  if (options.rich) return sanitizeHtml(text, RICH).trim();
  let current = text;
  for (let pass = 0; pass < MAX_UNWRAP; pass++) {
    const next = unescapeText(sanitizeHtml(current, PLAIN));
    if (next === current) return next.trim();
    current = next;
  }
  throw new UnsafeTextError("text is nested too deeply in encoded markup");
}

export type UrlScheme = "https" | "http";

/**
 * An absolute URL with one of `schemes` and a host, and no user name or password in it
 * (`https://bank.example@evil.example` reads as the bank). `javascript:`, `data:` and the like are
 * never accepted.
 */
export function isAllowedUrl(value: string, schemes: readonly UrlScheme[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1);
  return (
    (schemes as readonly string[]).includes(scheme) && url.hostname !== "" && url.username === "" && url.password === ""
  );
}

export const SLUG_MAX = 48;
const SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A short random id for slugs: 6 characters of [a-z0-9] (2.2 billion values). */
export function shortId(length = 6): string {
  let out = "";
  for (let i = 0; i < length; i++) out += SLUG_ALPHABET[randomInt(SLUG_ALPHABET.length)];
  return out;
}

/**
 * The readable part of a slug: transliterated to ASCII, lowercase, words joined by single hyphens
 * ("" when nothing in the name transliterates).
 */
export function readableSlug(name: string): string {
  return anyAscii(name.normalize("NFC"))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}

/**
 * The slug a name yields: "Crown Academy" → "crown-academy", "北京战队" → "beijingzhandui",
 * "🔥🐉" → "fire-dragon"; a name with nothing to transliterate ("★★") → `<fallback>-<short id>`.
 * Always matches the API's slug rule (2–48 of [a-z0-9], single hyphens).
 */
export function slugFromName(name: string, fallback: string): string {
  const base = readableSlug(name);
  return base.length >= 2 ? base : `${fallback}-${shortId()}`;
}

/** The same slug made unique after a collision: a short random id appended, within the length cap. */
export function withUniqueSuffix(slug: string): string {
  const suffix = `-${shortId()}`;
  return `${slug.slice(0, SLUG_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
}
