/*
 * An OpenAPI 3.1 document for consumers that are not TypeScript (issue 13), generated from the
 * router's own zod schemas (zod 4's z.toJSONSchema), so it cannot drift from the code. It lists the
 * public reads — the queries anyone may call without a session — in tRPC's wire format:
 * `GET /trpc/<path>?input=<url-encoded JSON>` answering `{ result: { data } }` or `{ error }`.
 */
import type { AnyRouter } from "@trpc/server";
import { z } from "zod";
import { listProcedures, type ProcedureInfo } from "./router-walk.ts";

type JsonSchema = Record<string, unknown>;

interface ProcedureDef {
  inputs: z.ZodType[];
  output?: z.ZodType;
}

function defOf(router: AnyRouter, path: string): ProcedureDef {
  return (router._def.procedures as Record<string, { _def: ProcedureDef }>)[path]!._def;
}

/** Public reads: queries that need no session (viewer queries answer anonymous callers too). */
export function publicQueries(router: AnyRouter): ProcedureInfo[] {
  return listProcedures(router)
    .filter((p) => p.type === "query" && p.meta?.access !== "authed")
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * JSON Schema of one zod schema as it crosses the wire: dates travel as ISO strings (JSON has no
 * date type and the router has no transformer); the router-walk metadata (idColumn) stays internal.
 */
export function wireSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema }) => {
      const def = (zodSchema as unknown as { _zod: { def: { type: string } } })._zod.def;
      if (def.type === "date") Object.assign(jsonSchema, { type: "string", format: "date-time" });
      delete (jsonSchema as JsonSchema).idColumn;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** The procedure's input schema, or undefined when it takes none. */
export function inputSchemaOf(router: AnyRouter, path: string): JsonSchema | undefined {
  const inputs = defOf(router, path).inputs;
  if (inputs.length === 0) return undefined;
  return wireSchema(inputs.length === 1 ? inputs[0]! : inputs.reduce((a, b) => z.intersection(a, b)), "input");
}

/** The procedure's output schema (every public query declares one; `{}` means any JSON). */
export function outputSchemaOf(router: AnyRouter, path: string): JsonSchema {
  const output = defOf(router, path).output;
  return output ? wireSchema(output, "output") : {};
}

/** The error body of every call (packages/api/src/errors.ts formatError, ErrorData). */
const errorSchema: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["message", "code", "data"],
      properties: {
        message: { type: "string" },
        code: { type: "integer", description: "JSON-RPC error code" },
        data: {
          type: "object",
          required: ["code", "httpStatus", "reason", "fieldErrors", "retryAfter", "retryable", "requestId"],
          properties: {
            code: { type: "string", examples: ["BAD_REQUEST", "NOT_FOUND", "TOO_MANY_REQUESTS"] },
            httpStatus: { type: "integer" },
            path: { type: "string" },
            reason: { type: ["string", "null"], description: "Stable machine-readable reason, e.g. INVITE_EXPIRED" },
            fieldErrors: {
              type: ["object", "null"],
              description: 'Input paths at fault ("slug", "roster.0.role", "(input)") → messages',
              additionalProperties: { type: "array", items: { type: "string" } },
            },
            retryAfter: { type: ["integer", "null"], description: "Seconds until a retry can succeed" },
            retryable: { type: "boolean" },
            requestId: { type: ["string", "null"], description: "Also the x-request-id header" },
          },
        },
      },
    },
  },
};

/** The document; `serverUrl` is where the API is served (e.g. the server's PUBLIC_URL), "/" when unknown. */
export function openApiDocument(router: AnyRouter, options: { serverUrl?: string; version?: string } = {}) {
  const paths: Record<string, unknown> = {};
  for (const procedure of publicQueries(router)) {
    const input = inputSchemaOf(router, procedure.path);
    const [tag] = procedure.path.split(".");
    paths[`/trpc/${procedure.path}`] = {
      get: {
        operationId: procedure.path,
        tags: [tag],
        summary: `${procedure.path} (${procedure.meta?.category ?? "?"} read)`,
        ...(procedure.meta?.access === "viewer"
          ? { description: "Answers anonymous callers; a session (Bearer token or cookie) may widen what it shows." }
          : {}),
        parameters: input
          ? [
              {
                name: "input",
                in: "query",
                required: true,
                description: "The input as JSON, URL-encoded (tRPC's GET format)",
                content: { "application/json": { schema: input } },
              },
            ]
          : [],
        responses: {
          "200": {
            description: "The result",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["result"],
                  properties: {
                    result: {
                      type: "object",
                      required: ["data"],
                      properties: { data: outputSchemaOf(router, procedure.path) },
                    },
                  },
                },
              },
            },
          },
          "4XX": { $ref: "#/components/responses/Error" },
          "5XX": { $ref: "#/components/responses/Error" },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "DeltaCrown public reads",
      version: options.version ?? "1",
      description:
        "The public queries of the DeltaCrown tRPC API, for consumers that are not TypeScript (TypeScript callers use @deltacrown/client). " +
        "Each is a GET with its input as URL-encoded JSON in `input`; errors carry typed `data` (code, httpStatus, reason, fieldErrors).",
    },
    servers: [{ url: options.serverUrl ?? "/" }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      responses: {
        Error: {
          description: "A typed error (4xx for the caller's mistakes, 503 when the database is away)",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
    },
  };
}
