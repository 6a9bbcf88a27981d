import { afterEach, beforeEach } from "vitest";

interface OpenHandle {
  label: string;
  close: () => unknown;
}

const open = new Map<number, OpenHandle>();
let nextId = 1;

/**
 * Records a resource (server, worker runner, pool) as open. Call the returned function when it is
 * closed. Anything opened during a test and still open at its end fails that test (see below).
 */
export function trackOpen(label: string, close: () => unknown): () => void {
  const id = nextId++;
  open.set(id, { label, close });
  return () => void open.delete(id);
}

/** A marker: handles tracked after this call are "newer" than it. */
export function openHandleMark(): number {
  return nextId;
}

/**
 * Closes every handle tracked since `mark` that is still open and returns their labels. Closing
 * them first keeps one leaky test from breaking the tests after it.
 */
export async function closeHandlesOpenedSince(mark: number): Promise<string[]> {
  const leaked = [...open].filter(([id]) => id >= mark);
  for (const [id] of leaked) open.delete(id);
  await Promise.allSettled(leaked.map(([, handle]) => Promise.resolve().then(handle.close)));
  return leaked.map(([, handle]) => handle.label);
}

/**
 * Fails a test that leaves open something it opened. Call it first in a test file (or a setup
 * file): afterEach hooks run in reverse order, so this check runs after the file's own cleanup.
 */
export function installOpenHandleCheck(): void {
  let mark = openHandleMark();
  beforeEach(() => {
    mark = openHandleMark();
  });
  afterEach(async () => {
    const leaked = await closeHandlesOpenedSince(mark);
    if (leaked.length > 0) {
      throw new Error(`test left open (now closed by the check): ${leaked.join(", ")}; close them in the test`);
    }
  });
}
