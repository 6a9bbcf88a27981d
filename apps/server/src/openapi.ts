/*
 * GET /openapi.json: the OpenAPI 3.1 document of the public reads, for consumers that are not
 * TypeScript. The document is generated from the router's zod schemas by @deltacrown/api; it is
 * built once per server (a few milliseconds) and served as a fixed body.
 */
import { appRouter, openApiDocument } from "@deltacrown/api";
import type { FastifyInstance } from "fastify";

export function registerOpenApi(app: FastifyInstance): void {
  const body = JSON.stringify(openApiDocument(appRouter));
  app.get("/openapi.json", (_req, reply) => reply.type("application/json; charset=utf-8").send(body));
}
