import type { TestServices } from "@deltacrown/test-harness";

type Pool = TestServices["pool"];

const ready = new WeakSet<Pool>();

/**
 * The test file's own pool, for graphile-worker's runOnce. Its private pool (from a connection
 * string) can still be closing when the harness drops the database, and the drop's termination
 * then surfaces as an uncaught error; the harness closes this one first. graphile-worker wants
 * error handlers on the pool and on each client (a terminated idle client must not crash us).
 */
export function workerPool(pool: Pool): Pool {
  if (!ready.has(pool)) {
    ready.add(pool);
    pool.on("error", () => undefined);
    pool.on("connect", (client) => client.on("error", () => undefined));
  }
  return pool;
}
