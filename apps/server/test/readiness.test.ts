/**
 * GET /health/ready, as a load balancer sees it: 200 while Postgres answers, 503 naming the
 * database when it does not (a real pool aimed at a port nothing listens on), 503 while the
 * process shuts down.
 */
import { findFreePort } from "@deltacrown/db/embedded";
import { createDb } from "@deltacrown/db";
import { useTestServices } from "@deltacrown/test-harness";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerReadiness, type ReadinessDeps } from "../src/readiness.ts";

async function ready(deps: ReadinessDeps): Promise<{ status: number; body: Record<string, unknown> }> {
  const app = Fastify();
  registerReadiness(app, deps);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  try {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } finally {
    await app.close();
  }
}

describe("/health/ready", () => {
  const services = useTestServices({ poolMax: 2 });

  it("is 200 while Postgres answers, and 503 while the process shuts down", async () => {
    const up = await ready({ db: services.db, redis: services.redis, closing: () => false });
    expect(up).toMatchObject({
      status: 200,
      body: { status: "ready", checks: { database: { status: "up" }, redis: { status: "up" } } },
    });
    const closing = await ready({ db: services.db, closing: () => true });
    expect(closing).toMatchObject({ status: 503, body: { status: "shutting down" } });
  });

  it("is 503 naming the database when Postgres does not answer", async () => {
    const dead = createDb({
      connectionString: `postgres://postgres@127.0.0.1:${await findFreePort()}/postgres`,
      max: 1,
    });
    try {
      const down = await ready({ db: dead.db, closing: () => false });
      expect(down).toMatchObject({
        status: 503,
        body: { status: "not ready", checks: { database: { status: "down" }, redis: { status: "disabled" } } },
      });
    } finally {
      await dead.destroy();
    }
  });
});
