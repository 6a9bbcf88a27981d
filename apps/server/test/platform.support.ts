import { defaultLimits } from "@deltacrown/api";
import { trackOpen, type TestServices } from "@deltacrown/test-harness";
import { startPlatform, type Platform, type PlatformConfig } from "../src/platform.ts";

/**
 * A real platform on a random port over this test file's database and Redis, with the contract
 * in "throw" mode, a cheap KDF, and the production abuse limits except sign-ups (a suite signs
 * up dozens of users from one address). Tracked as open until closed, so a test that forgets to close
 * it fails.
 */
export async function startTestPlatform(
  services: Pick<TestServices, "url" | "redisUrl"> & Partial<Pick<TestServices, "directUrl" | "pooled">>,
  overrides: Partial<PlatformConfig> = {},
): Promise<Platform> {
  const platform = await startPlatform({
    databaseUrl: services.url,
    // The PgBouncer pass: the API's pool through it, session-bound work (LISTEN, worker) direct.
    directDatabaseUrl: services.directUrl,
    preparedStatements: !services.pooled,
    redisUrl: services.redisUrl,
    host: "127.0.0.1",
    port: 0,
    contractMode: "throw",
    scryptCost: 1024,
    dbPoolMax: 4,
    runWorker: false,
    workerStaleAfterMs: false,
    limits: { ...defaultLimits, signUp: { points: 1000, durationSeconds: 3600, blockSeconds: 0 } },
    ...overrides,
  });
  const untrack = trackOpen("platform", () => platform.close());
  return {
    ...platform,
    close: async () => {
      await platform.close();
      untrack();
    },
  };
}
