/**
 * webhooks/deliver against a REAL local HTTP receiver (node:http on a random port) that verifies
 * every signature: signed deliveries, retries after a failure, the response log, and nothing
 * sent for a rolled-back change.
 */
import { createServer, type Server } from "node:http";
import {
  defaultOutboundPolicy,
  queueWebhookEvent,
  signPayload,
  verifySignature,
  SIGNATURE_HEADER,
} from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { runJobsOnce } from "./worker-pool.ts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTaskList, JOB_ITEM_BUDGET, type JobReport } from "../src/index.ts";

interface Received {
  path: string;
  body: string;
  valid: boolean;
  event: string | undefined;
  delivery: string | undefined;
}

const localReceiver = { ...defaultOutboundPolicy, allowHttp: true, allowAddresses: ["127.0.0.1"] };

describe("webhooks/deliver", () => {
  const services = useTestServices();
  const SECRET = "whsec_test_secret";
  const received: Received[] = [];
  /** Paths that answer 500 this many more times. */
  const failures = new Map<string, number>();
  let server: Server;
  let base = "";

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const path = req.url ?? "/";
        const header = req.headers[SIGNATURE_HEADER] as string | undefined;
        received.push({
          path,
          body,
          valid: verifySignature(SECRET, header, body),
          event: req.headers["deltacrown-event"] as string | undefined,
          delivery: req.headers["deltacrown-delivery"] as string | undefined,
        });
        const left = failures.get(path) ?? 0;
        if (left > 0) {
          failures.set(path, left - 1);
          res.writeHead(500).end("receiver down");
        } else res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${path}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function drain(reports: JobReport[] = []) {
    await runJobsOnce({
      connectionString: services.url,
      logger: new Logger(() => () => undefined),
      // The receiver is local plain http: allowed for this test only.
      taskList: createTaskList({ deps: { db: services.db, webhooks: localReceiver }, onJob: (r) => reports.push(r) }),
    });
    return reports;
  }

  async function fixture() {
    const { rows: users } = await sql<{ id: number }>`insert into users (username, email, display_name, password_hash)
      values ('organizer', 'o@x.dc', 'O', 'x') returning id`.execute(services.db);
    const owner = users[0]!.id;
    const { rows: orgs } = await sql<{ id: number }>`insert into organizations (slug, name, owner_id)
      values ('crown-events', 'Crown Events', ${owner}) returning id`.execute(services.db);
    const { rows: games } = await sql<{ id: number }>`insert into games (slug, name, short_name, genre, team_size)
      values ('hookgame', 'Hook Game', 'HG', 'fps', 5) returning id`.execute(services.db);
    const { rows: ts } = await sql<{
      id: number;
    }>`insert into tournaments (slug, name, game_id, organizer_id, organization_id,
        format, participant_type, capacity, team_size, registration_opens_at, registration_closes_at, starts_at)
      values ('hook-cup', 'Hook Cup', ${games[0]!.id}, ${owner}, ${orgs[0]!.id}, 'single_elimination', 'team', 8, 5,
        now(), now() + interval '1 day', now() + interval '2 days') returning id`.execute(services.db);
    const endpoint = async (
      path: string,
      scope: { org?: number; tournament?: number },
      types: string[],
      active = true,
    ) =>
      (
        await sql<{
          id: number;
        }>`insert into webhook_endpoints (organization_id, tournament_id, url, secret, event_types, is_active, created_by)
          values (${scope.org ?? null}, ${scope.tournament ?? null}, ${base + path}, ${SECRET}, ${types}::text[], ${active}, ${owner})
          returning id`.execute(services.db)
      ).rows[0]!.id;
    await endpoint("/org", { org: orgs[0]!.id }, ["match.completed", "tournament.completed"]);
    await endpoint("/cup", { tournament: ts[0]!.id }, ["match.completed"]);
    await endpoint("/other-type", { tournament: ts[0]!.id }, ["dispute.opened"]);
    await endpoint("/inactive", { tournament: ts[0]!.id }, ["match.completed"], false);
    return { orgId: orgs[0]!.id, tournamentId: ts[0]!.id };
  }

  it("delivers signed events to matching endpoints, retries a failure, and logs each response", async () => {
    const { tournamentId } = await fixture();
    failures.set("/cup", 1);
    const queued = await services.db
      .transaction()
      .execute((trx) =>
        queueWebhookEvent(trx, { tournamentId, type: "match.completed", data: { matchId: 7, winner: "Nova" } }),
      );
    expect(queued.deliveries).toBe(2); // the tournament's endpoint and its organization's

    const reports = await drain();
    expect(received.map((r) => r.path).sort()).toEqual(["/cup", "/org"]);
    expect(received.every((r) => r.valid && r.event === "match.completed")).toBe(true);
    const body = JSON.parse(received[0]!.body) as { id: string; type: string; data: unknown };
    expect(body).toMatchObject({ id: queued.eventId, type: "match.completed", data: { matchId: 7, winner: "Nova" } });
    expect(reports.every((r) => r.ledger.count <= JOB_ITEM_BUDGET)).toBe(true);

    // The failed one is logged and rescheduled with back-off; make it due now and run again.
    const pending = await services.db
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .execute();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ attempts: 1, last_status_code: 500, last_response: "receiver down" });
    const { rows: jobs } = await sql<{
      run_at: Date;
      attempts: number;
    }>`select run_at, attempts from graphile_worker._private_jobs`.execute(services.db);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.attempts).toBe(1);
    expect(jobs[0]!.run_at.getTime()).toBeGreaterThan(Date.now());
    await sql`update graphile_worker._private_jobs set run_at = now()`.execute(services.db);
    await drain();

    const all = await services.db.selectFrom("webhook_deliveries").selectAll().orderBy("id").execute();
    expect(all.map((d) => d.status)).toEqual(["delivered", "delivered"]);
    const cup = all.find((d) => d.attempts === 2)!;
    expect(cup).toMatchObject({ last_status_code: 200, last_response: "ok /cup" });
    expect(received.filter((r) => r.path === "/cup")).toHaveLength(2);
    expect(received.every((r) => r.valid)).toBe(true);
    // Run again: nothing left to send.
    await drain();
    expect(received).toHaveLength(3);
  });

  it("sends nothing for a rolled-back change", async () => {
    const before = received.length;
    const { rows } = await sql<{ id: number }>`select id from tournaments where slug = 'hook-cup'`.execute(services.db);
    await services.db
      .transaction()
      .execute(async (trx) => {
        await queueWebhookEvent(trx, { tournamentId: rows[0]!.id, type: "match.completed", data: {} });
        throw new Error("rolled back");
      })
      .catch(() => undefined);
    await drain();
    expect(received.length).toBe(before);
  });

  it("signatures refuse tampering, a wrong secret and replays outside the tolerance", () => {
    const body = '{"id":"1"}';
    const now = Math.floor(Date.now() / 1000);
    const header = signPayload(SECRET, body, now);
    expect(verifySignature(SECRET, header, body, now)).toBe(true);
    expect(verifySignature(SECRET, header, '{"id":"2"}', now)).toBe(false);
    expect(verifySignature("whsec_other", header, body, now)).toBe(false);
    expect(verifySignature(SECRET, header, body, now + 301)).toBe(false);
    expect(verifySignature(SECRET, header.replace(`t=${now}`, `t=${now + 200}`), body, now + 200)).toBe(false);
    expect(verifySignature(SECRET, undefined, body, now)).toBe(false);
  });
});
