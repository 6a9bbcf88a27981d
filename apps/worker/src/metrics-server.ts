import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface MetricsServerOptions {
  host?: string;
  /** What /health/ready answers: 200 when ready, 503 when not. Unset: ready while the process runs. */
  ready?: () => Promise<Readiness>;
}

/**
 * The standalone worker's own HTTP port: GET /metrics (Prometheus text), /health (liveness: the
 * process answers) and /health/ready (what ready() says: the worker's database, and not shutting
 * down). Nothing else.
 */
export async function serveMetrics(
  registry: Registry,
  port: number,
  options: MetricsServerOptions = {},
): Promise<MetricsServer> {
  const ready = options.ready ?? (() => Promise.resolve({ ready: true, checks: {} }));
  const json = (status: number, body: object) => ({
    status,
    body: `${JSON.stringify(body)}\n`,
    type: "application/json; charset=utf-8",
  });
  const answer = async (url: string) => {
    if (url === "/metrics") return { status: 200, body: await registry.metrics(), type: registry.contentType };
    if (url === "/health") return json(200, { status: "ok" });
    if (url === "/health/ready") {
      const result = await ready();
      return json(result.ready ? 200 : 503, { status: result.ready ? "ready" : "not ready", checks: result.checks });
    }
    return { status: 404, body: "not found\n", type: "text/plain" };
  };
  const server = createServer((req, res) => {
    if (req.method !== "GET") {
      res.writeHead(404).end("not found\n");
      return;
    }
    answer(req.url ?? "").then(
      ({ status, body, type }) => res.writeHead(status, { "content-type": type }).end(body),
      () => res.writeHead(500).end("failed\n"),
    );
  });
  server.listen(port, options.host ?? "0.0.0.0");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
