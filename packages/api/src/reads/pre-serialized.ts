/*
 * Pre-serialized cache hits (issue 14): a hot read's validated output kept as its JSON text, so a
 * repeat answers with those bytes — no output validation, no JSON.stringify — when the transport
 * can write raw JSON (the server's lean query path sets `ctx.acceptsJsonText`; createCaller and
 * tRPC's own adapter never do, and get plain values as before).
 *
 * Freshness without a second invalidation scheme: an output is a pure function of its input and
 * of the cache entries it was computed from (its "sources"). The text is stored together with the
 * sources' memory-tier JSON texts as they were before AND after the call that produced it, and
 * only if they were the same; it is served only while every source's current text is still equal
 * to the recorded one. Any invalidation, refill or expiry of a source changes or removes its text,
 * and the next read recomputes. So it is never fresher or staler than the value cache it rides on.
 *
 * Viewers: an entry records whether its text is every viewer's answer (`everyViewer`). A signed-in
 * caller is served only such entries, and stores only such outputs; an anonymous caller's output
 * (the same for every anonymous caller) is stored either way and served to anonymous callers.
 * So a member's fuller page is never stored, and an anonymous page is never served to a member.
 */
import type { Cache, CacheFamily } from "@deltacrown/domain";

/** JSON text a transport writes as it is. `toJSON` keeps it correct anywhere it is stringified. */
export class JsonText {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** A cache entry an output derives from. */
export interface TextSource {
  family: CacheFamily;
  id: string | number;
}

/**
 * Which cache entries a procedure's output (for this input) is computed from, reading the memory
 * tier with `peek` where it needs to (a leaderboard's game id comes from the game entry); undefined:
 * this input's output is not a function of cached entries alone (it is never pre-serialized).
 */
export type SourcesOf<I> = (
  input: I,
  peek: (family: CacheFamily, id: string | number) => string | undefined,
) => TextSource[] | undefined;

interface Stored {
  sources: string[];
  text: string;
  /** The text is every viewer's answer, signed in or not (else: anonymous callers' only). */
  everyViewer: boolean;
}

/** Outputs kept per process; the oldest go first beyond this. */
const MAX_ENTRIES = 10_000;
const stores = new WeakMap<Cache, Map<string, Stored>>();

function storeOf(cache: Cache): Map<string, Stored> {
  let store = stores.get(cache);
  if (!store) stores.set(cache, (store = new Map<string, Stored>()));
  return store;
}

const textsOf = (cache: Cache, sources: TextSource[]) => sources.map((s) => cache.peekText(s.family, s.id));

const sameTexts = (a: readonly (string | undefined)[], b: readonly (string | undefined)[]) =>
  a.length === b.length && a.every((text, i) => text !== undefined && text === b[i]);

/**
 * The stored text for this call, if every source is unchanged (and then counted as memory hits)
 * and, for a signed-in caller, if it is every viewer's answer.
 */
export function preSerializedHit(
  cache: Cache,
  key: string,
  sources: TextSource[],
  signedIn: boolean,
): JsonText | undefined {
  const stored = storeOf(cache).get(key);
  if (!stored || (signedIn && !stored.everyViewer) || stored.sources.length !== sources.length) return undefined;
  for (let i = 0; i < sources.length; i++) {
    const text = cache.peekText(sources[i]!.family, sources[i]!.id);
    if (text === undefined || text !== stored.sources[i]) return undefined;
  }
  for (const s of sources) cache.peekText(s.family, s.id, true);
  return new JsonText(stored.text);
}

/**
 * Runs the call; keeps its output's JSON text when its sources were the same before and after it,
 * marked with `everyViewer(output)`; a signed-in caller's output only when that is true.
 */
export async function fillPreSerialized<R extends { ok: boolean; data?: unknown }>(
  cache: Cache,
  key: string,
  sources: () => TextSource[] | undefined,
  call: () => Promise<R>,
  viewers: { signedIn: boolean; everyViewer: (output: unknown) => boolean },
): Promise<R> {
  const before = sources();
  const textsBefore = before && textsOf(cache, before);
  const result = await call();
  if (!result.ok || !before || !textsBefore || textsBefore.some((t) => t === undefined)) return result;
  const after = sources();
  if (!after || !sameTexts(textsBefore, textsOf(cache, after))) return result;
  const everyViewer = viewers.everyViewer(result.data);
  if (viewers.signedIn && !everyViewer) return result;
  const store = storeOf(cache);
  store.delete(key);
  store.set(key, { sources: textsBefore as string[], text: JSON.stringify(result.data), everyViewer });
  if (store.size > MAX_ENTRIES) {
    const oldest = store.keys().next().value;
    if (oldest !== undefined) store.delete(oldest);
  }
  return result;
}
