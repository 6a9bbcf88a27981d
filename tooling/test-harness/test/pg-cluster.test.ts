import { afterAll, describe, expect, it } from "vitest";
import { canStartPgCluster, startPgCluster, type PgCluster } from "@deltacrown/test-harness/pg-cluster";
import { waitFor } from "@deltacrown/test-harness";
import { adminQuery } from "../src/pg-admin.ts";

const query = (url: string, text: string) => adminQuery(url, [text]);

const clusters: PgCluster[] = [];
afterAll(() => {
  for (const cluster of clusters.reverse()) cluster.destroy();
});

describe.runIf(canStartPgCluster())("startPgCluster (the machine's Postgres binaries)", () => {
  it("restarts fast and immediately with its data, and streams to a replica", async () => {
    const primary = await startPgCluster();
    clusters.push(primary);
    await query(primary.url, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (1)");

    await primary.restart("immediate");
    expect(await query(primary.url, "SELECT v FROM kept")).toEqual([{ v: 1 }]);
    await primary.stop("fast");
    await expect(query(primary.url, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
    await primary.start();

    const replica = await startPgCluster({ replicaOf: primary });
    clusters.push(replica);
    expect(await query(replica.url, "SELECT pg_is_in_recovery() AS r")).toEqual([{ r: true }]);
    await query(primary.url, "INSERT INTO kept VALUES (2)");
    await waitFor(async () => (await query(replica.url, "SELECT count(*)::int AS n FROM kept"))[0]?.n === 2, {
      timeoutMs: 30_000,
    });
    await expect(query(replica.url, "INSERT INTO kept VALUES (3)")).rejects.toThrow(/read-only/);
  });
});
