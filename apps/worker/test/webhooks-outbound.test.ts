/**
 * Outbound policy of webhook deliveries against a REAL local receiver: a host name that resolves
 * to a private address is refused after resolution (nothing sent), a public-looking name is
 * delivered (a test resolver maps it to the receiver, which an allow-list admits for this test
 * only), literal private and metadata addresses are refused, redirects are not followed, and the
 * answer is capped in size and time.
 */
import { createServer, type Server } from "node:http";
import {
  defaultOutboundPolicy,
  isForbiddenAddress,
  queueWebhookEvent,
  refusedUrl,
  type OutboundPolicy,
} from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { runJobsOnce } from "./worker-pool.ts";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTaskList } from "../src/index.ts";

const PUBLIC_NAME = "hooks.partner-example.com";

describe("webhook deliveries under the outbound policy", () => {
  const services = useTestServices();
  const received: string[] = [];
  let streamed = 0;
  let server: Server;
  let port = 0;
  let orgId = 0;
  let owner = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? "/");
      req.resume();
      req.on("end", () => {
        if (req.url === "/redirect") res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
        else if (req.url === "/silent")
          return; // never answers
        else if (req.url === "/flood") {
          // An endless answer: only a reader that stops can finish.
          res.writeHead(200, { "content-type": "text/plain" });
          const chunk = Buffer.alloc(64 * 1024, "x");
          const pump = () => {
            while (!res.destroyed && res.write(chunk)) streamed += chunk.length;
            if (!res.destroyed) res.once("drain", pump);
          };
          res.on("close", () => undefined);
          pump();
        } else res.writeHead(200).end(`ok ${req.url}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address ? address.port : 0;
    const { rows } = await sql<{ id: number }>`insert into users (username, email, display_name, password_hash)
      values ('hookowner', 'h@x.dc', 'H', 'x') returning id`.execute(services.db);
    owner = rows[0]!.id;
    const { rows: orgs } = await sql<{ id: number }>`insert into organizations (slug, name, owner_id)
      values ('outbound-org', 'Outbound Org', ${owner}) returning id`.execute(services.db);
    orgId = orgs[0]!.id;
  });

  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(async () => {
    received.length = 0;
    await sql`delete from webhook_deliveries`.execute(services.db);
    await sql`delete from webhook_endpoints`.execute(services.db);
  });

  /** One endpoint, one event, the queue drained under `policy`; the delivery row after. */
  async function deliver(url: string, policy: OutboundPolicy) {
    await sql`insert into webhook_endpoints (organization_id, url, secret, event_types, created_by)
      values (${orgId}, ${url}, 'whsec_x', ${["match.completed"]}::text[], ${owner})`.execute(services.db);
    await services.db
      .transaction()
      .execute((trx) => queueWebhookEvent(trx, { organizationId: orgId, type: "match.completed", data: { n: 1 } }));
    await runJobsOnce({
      connectionString: services.url,
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db, webhooks: policy } }),
    });
    return services.db.selectFrom("webhook_deliveries").selectAll().executeTakeFirstOrThrow();
  }

  /** Resolves the public-looking name to the local receiver, as a hostile DNS answer would. */
  const toReceiver = (hostname: string) =>
    hostname === PUBLIC_NAME
      ? Promise.resolve([{ address: "127.0.0.1", family: 4 }])
      : Promise.reject(Object.assign(new Error(`unknown ${hostname}`), { code: "ENOTFOUND" }));
  const devPolicy = { ...defaultOutboundPolicy, allowHttp: true, resolve: toReceiver };

  it("delivers to a public-looking name whose address the test's allow-list admits", async () => {
    const row = await deliver(`http://${PUBLIC_NAME}:${port}/in`, { ...devPolicy, allowAddresses: ["127.0.0.1/32"] });
    expect(row).toMatchObject({ status: "delivered", last_status_code: 200, last_response: "ok /in" });
    expect(received).toEqual(["/in"]);
  });

  it("refuses the same name once it resolves to a private address: nothing is sent, nothing retried", async () => {
    const row = await deliver(`http://${PUBLIC_NAME}:${port}/in`, devPolicy);
    expect(row.status).toBe("failed");
    expect(row.last_error).toMatch(/resolves to a forbidden address \(127\.0\.0\.1\)/);
    expect(received).toEqual([]);
    const { rows } = await sql`select 1 from graphile_worker._private_jobs`.execute(services.db);
    expect(rows).toHaveLength(0);
  });

  it("refuses literal private, metadata and non-https targets without connecting", async () => {
    const metadata = await deliver("https://169.254.169.254/latest/meta-data", defaultOutboundPolicy);
    expect(metadata).toMatchObject({ status: "failed", last_status_code: null });
    expect(metadata.last_error).toMatch(/private or reserved/);
    await sql`delete from webhook_deliveries`.execute(services.db);
    await sql`delete from webhook_endpoints`.execute(services.db);
    const plain = await deliver(`http://${PUBLIC_NAME}:${port}/in`, {
      ...defaultOutboundPolicy,
      resolve: toReceiver,
      allowAddresses: ["127.0.0.1"],
    });
    expect(plain.last_error).toMatch(/must be an https: URL/);
    expect(received).toEqual([]);
  });

  it("does not follow a redirect: the 302 is a failed attempt and the target is never asked", async () => {
    const row = await deliver(`http://${PUBLIC_NAME}:${port}/redirect`, {
      ...devPolicy,
      allowAddresses: ["127.0.0.1"],
    });
    expect(row).toMatchObject({ status: "pending", last_status_code: 302, attempts: 1 });
    expect(received).toEqual(["/redirect"]);
  });

  it("stops reading an endless answer at the size cap, and gives up on a silent one at the time cap", async () => {
    const capped = { ...devPolicy, allowAddresses: ["127.0.0.1"], maxResponseBytes: 4096, timeoutMs: 5000 };
    const row = await deliver(`http://${PUBLIC_NAME}:${port}/flood`, capped);
    expect(row).toMatchObject({ status: "delivered", last_status_code: 200 });
    expect(row.last_response).toBe("x".repeat(2000));
    // The receiver could write only what socket buffers held before the reader hung up.
    expect(streamed).toBeLessThan(16 * 1024 * 1024);

    await sql`delete from webhook_deliveries`.execute(services.db);
    await sql`delete from webhook_endpoints`.execute(services.db);
    const silent = await deliver(`http://${PUBLIC_NAME}:${port}/silent`, { ...capped, timeoutMs: 300 });
    expect(silent).toMatchObject({ status: "pending", last_status_code: null });
    expect(silent.last_error).toMatch(/no complete answer within 300 ms/);
  });

  it("classifies addresses and URLs", () => {
    const none = { allowAddresses: [] };
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "100.64.0.1",
      "169.254.169.254",
      "0.0.0.0",
      "224.0.0.1",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "ff02::1",
    ])
      expect(isForbiddenAddress(address, none), address).toBe(true);
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"])
      expect(isForbiddenAddress(address, none), address).toBe(false);
    expect(isForbiddenAddress("127.0.0.1", { allowAddresses: ["127.0.0.0/8"] })).toBe(false);

    const strict = { allowHttp: false, allowAddresses: [] };
    expect(refusedUrl("https://hooks.example.com/x", strict)).toBeUndefined();
    expect(refusedUrl("http://hooks.example.com/x", strict)).toMatch(/https/);
    expect(refusedUrl("https://localhost/x", strict)).toMatch(/public host/);
    expect(refusedUrl("https://[::1]/x", strict)).toMatch(/private/);
    expect(refusedUrl("https://10.0.0.1/x", strict)).toMatch(/private/);
    expect(refusedUrl("https://user:pw@hooks.example.com/", strict)).toMatch(/credentials/);
    expect(refusedUrl("ftp://hooks.example.com/", strict)).toMatch(/https/);
  });
});
