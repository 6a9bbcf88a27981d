import { appRouter, createContextFactory, type ContextDeps } from "@deltacrown/api";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Redis } from "ioredis";
import { sql } from "kysely";
import type { AppRouter } from "@deltacrown/api";

export interface ServerOptions {
  deps: ContextDeps;
  redis?: Redis | undefined;
  logger?: FastifyServerOptions["logger"];
}

/** Fastify hosting the tRPC router (batched HTTP at /trpc), /health, /health/detailed and /metrics. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    // Batched calls put every path in the URL.
    routerOptions: { maxParamLength: 5000 },
  });
  const deps = { ...options.deps, logger: options.deps.logger ?? app.log };

  app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: createContextFactory(deps),
      onError({ error, path }) {
        // Only our own failures are worth an operator's attention; client mistakes are not.
        if (error.code === "INTERNAL_SERVER_ERROR")
          app.log.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  // Liveness: answers while the process runs, whatever its dependencies do.
  app.get("/health", () => ({ status: "ok" }));

  // Readiness: each dependency with its latency; 503 when one is down.
  app.get("/health/detailed", async (_req, reply) => {
    const checks = {
      database: await probe(() => sql`select 1`.execute(deps.db)),
      redis: options.redis ? await probe(() => options.redis!.ping()) : { status: "disabled" as const },
    };
    const down = Object.values(checks).some((c) => c.status === "down");
    return reply.code(down ? 503 : 200).send({ status: down ? "degraded" : "ok", checks });
  });

  app.get("/metrics", async (_req, reply) => {
    const registry = deps.metrics?.registry;
    if (!registry) return reply.code(404).send("metrics disabled\n");
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  return app;
}

async function probe(fn: () => Promise<unknown>, timeoutMs = 1000) {
  const started = performance.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { status: "up" as const, latencyMs: round(performance.now() - started) };
  } catch (error) {
    return {
      status: "down" as const,
      latencyMs: round(performance.now() - started),
      error: error instanceof Error ? error.message : "unreachable",
    };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
