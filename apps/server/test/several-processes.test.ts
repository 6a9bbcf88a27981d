/**
 * DeltaCrown as several processes: two API processes (the production entry, main.ts) behind a
 * real HAProxy, one worker, one database, one Redis. Whatever one process does, the other sees:
 * sessions, cache invalidations, live updates, rate limits — and a rolling restart under a steady
 * load loses no request.
 */
import { createClient } from "@deltacrown/client";
import { findFreePort } from "@deltacrown/db/embedded";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices, waitFor } from "@deltacrown/test-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haproxyBinary, startHaproxy, type Haproxy } from "./haproxy.support.ts";
import { collect, liveClient, SSE } from "./live.support.ts";
import { startProcess, type RunningProcess } from "./processes.support.ts";

installOpenHandleCheck();

const SIGN_UPS_PER_ADDRESS = 8;

describe.skipIf(!haproxyBinary())("several API processes behind HAProxy", () => {
  const services = useTestServices();
  const ports: Record<"api1" | "api2", number> = { api1: 0, api2: 0 };
  const apis: Partial<Record<"api1" | "api2", RunningProcess>> = {};
  let worker: RunningProcess;
  let proxy: Haproxy;
  const direct = (name: "api1" | "api2", token?: string) =>
    createClient({ url: `http://127.0.0.1:${ports[name]}`, token });

  function startApi(name: "api1" | "api2"): Promise<unknown> {
    const api = startProcess(
      "apps/server/src/main.ts",
      {
        ...process.env,
        DATABASE_URL: services.url,
        REDIS_URL: services.redisUrl,
        HOST: "127.0.0.1",
        PORT: String(ports[name]),
        LOG_LEVEL: "warn",
        SCRYPT_COST: "1024",
        DB_POOL_MAX: "4",
        WORKER_STALE_AFTER_MS: "0",
        // Longer than HAProxy's checks need to take it out (inter 300 ms × fall 2).
        SHUTDOWN_DRAIN_MS: "1500",
        RATE_LIMIT_SIGNUP: `${SIGN_UPS_PER_ADDRESS}/3600`,
        // The steady load below comes from one address.
        RATE_LIMIT_GENERAL: "1000000/60",
        // Far longer than any wait below: a process sees another's write only through the Redis
        // invalidation message, never because its memory copy happened to expire.
        CACHE_MEMORY_TTL_MS: "600000",
        NO_COLOR: "1",
        // node --import tsx, not the tsx CLI: under load the CLI SIGKILLs its child when the child's
        // signal ack takes over 30 ms and exits 143, which read here as a failed graceful stop.
      },
      { singleProcess: true },
    );
    apis[name] = api;
    return waitFor(
      async () => {
        if (api.child.exitCode !== null) throw new Error(`${name} exited: ${api.stderr()}`);
        const ready = await fetch(`http://127.0.0.1:${ports[name]}/health/ready`).catch(() => undefined);
        return ready?.ok;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
  }

  const haproxySees = (name: string, state: "UP" | "DOWN") =>
    waitFor(async () => (await proxy.serverStates())[name] === state, { timeoutMs: 30_000, intervalMs: 50 });

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    ports.api1 = await findFreePort();
    ports.api2 = await findFreePort();
    worker = startProcess("apps/worker/src/main.ts", {
      ...process.env,
      DATABASE_URL: services.url,
      REDIS_URL: services.redisUrl,
      LOG_LEVEL: "warn",
      WORKER_CONCURRENCY: "2",
    });
    await Promise.all([startApi("api1"), startApi("api2")]);
    proxy = await startHaproxy(ports);
    await Promise.all([haproxySees("api1", "UP"), haproxySees("api2", "UP")]);
  }, 240_000);

  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([apis.api1?.stop(), apis.api2?.stop(), worker?.stop()]);
  }, 60_000);

  let signUps = 0;
  async function signUp(via: "api1" | "api2", username: string) {
    signUps++;
    return direct(via).identity.signUp.mutate({ username, email: `${username}@procs.dc`, password: "long-enough-pw" });
  }

  it("a session made on one process works on the other", async () => {
    const { token, user } = await signUp("api1", "two_procs");
    expect(await direct("api2", token).identity.me.query()).toMatchObject({ id: user.id, username: "two_procs" });
    await direct("api2", token).identity.signOut.mutate();
    await expect(direct("api1", token).identity.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("a cache invalidation on one process is seen on the other at once, every time", async () => {
    const { token } = await signUp("api1", "cache_owner");
    const team = await direct("api1", token).teams.create.mutate({ name: "Shared Cache", gameSlug: "valorant" });
    const seen: number[] = [];
    for (let round = 1; round <= 10; round++) {
      const before = round === 1 ? "Shared Cache" : `Renamed ${round - 1}`;
      // Both processes hold the page in their memory tier (10 min here: CACHE_MEMORY_TTL_MS).
      for (const name of ["api1", "api2"] as const) {
        expect((await direct(name).teams.bySlug.query({ slug: team.slug })).name).toBe(before);
      }
      const written = Date.now();
      await direct("api1", token).teams.update.mutate({ slug: team.slug, name: `Renamed ${round}` });
      // api2 drops its copy when the Redis message arrives: milliseconds, not a TTL.
      await waitFor(
        async () => (await direct("api2").teams.bySlug.query({ slug: team.slug })).name === `Renamed ${round}`,
        { timeoutMs: 15_000, intervalMs: 5 },
      );
      seen.push(Date.now() - written);
    }
    process.stdout.write(`cross-process invalidation seen after (ms): ${seen.join(", ")}\n`);
  });

  it("a live update published on one process reaches a subscriber on the other", async () => {
    const alice = await signUp("api1", "live_alice");
    const bob = await signUp("api2", "live_bob");
    const team = await direct("api1", alice.token).teams.create.mutate({ name: "Live Across", gameSlug: "valorant" });
    const bobOnApi2 = collect((h) =>
      liveClient(`http://127.0.0.1:${ports.api2}`, SSE, bob.token).live.notifications.subscribe({}, h),
    );
    try {
      await waitFor(() => bobOnApi2.started);
      await direct("api1", alice.token).invites.send.mutate({
        teamSlug: team.slug,
        username: "live_bob",
        role: "player",
      });
      await waitFor(() => bobOnApi2.events.length >= 1, { timeoutMs: 30_000 });
      expect(bobOnApi2.events[0]).toMatchObject({ type: "notification.created", data: { kind: "team.invite" } });
    } finally {
      bobOnApi2.stop();
    }
  });

  it("rate limits are shared: sign-ups per address count across both processes", async () => {
    let accepted = signUps;
    let refused: unknown;
    for (let i = 0; i < SIGN_UPS_PER_ADDRESS * 2 && !refused; i++) {
      await signUp(i % 2 ? "api2" : "api1", `limited_${i}`).then(
        () => accepted++,
        (error: unknown) => (refused = error),
      );
    }
    expect(refused).toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
    // One budget for the address, whichever process took the call.
    expect(accepted).toBe(SIGN_UPS_PER_ADDRESS);
    for (const name of ["api1", "api2"] as const) {
      await expect(signUp(name, `limited_after_${name}`)).rejects.toMatchObject({
        data: { code: "TOO_MANY_REQUESTS" },
      });
    }
  });

  it("a rolling restart under a steady load loses no request", { timeout: 240_000 }, async () => {
    const { token } = await direct("api1").identity.signIn.mutate({ login: "cache_owner", password: "long-enough-pw" });
    const team = await direct("api1", token).teams.create.mutate({ name: "Steady Load", gameSlug: "valorant" });
    const client = createClient({ url: proxy.url });
    const counts = { ok: 0, failed: 0 };
    const failures: string[] = [];
    let running = true;
    // Four clients, each one call after the other: reads of an uncached and a cached kind.
    const loops = Array.from({ length: 4 }, async (_, i) => {
      while (running) {
        try {
          if (i % 2) await client.teams.search.query({ namePrefix: "steady", limit: 5 });
          else await client.teams.bySlug.query({ slug: team.slug });
          counts.ok++;
        } catch (error) {
          counts.failed++;
          if (failures.length < 5) failures.push(String(error));
        }
      }
    });
    const progressed = async () => {
      const before = counts.ok;
      await waitFor(() => counts.ok >= before + 50, { timeoutMs: 60_000 });
    };
    try {
      await progressed();
      for (const name of ["api1", "api2"] as const) {
        const stopping = apis[name]!.stop();
        // Readiness fails first, so HAProxy takes it out while it still serves.
        await haproxySees(name, "DOWN");
        expect(await stopping).toBe(0);
        await progressed();
        await startApi(name);
        await haproxySees(name, "UP");
        await progressed();
      }
    } finally {
      running = false;
      await Promise.all(loops);
      // Started inside this test: stopped inside it too (the open-handle check).
      await Promise.all([apis.api1?.stop(), apis.api2?.stop()]);
    }
    expect(failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThan(300);
    process.stdout.write(`rolling restart: ${counts.ok} requests, ${counts.failed} failed\n`);
  });
});
