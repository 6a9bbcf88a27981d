import type { AnyRouter } from "@trpc/server";
import type { ProcedureMeta } from "./contract/categories.ts";

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: ProcedureMeta | undefined;
}

/** Every procedure of a router, flattened to dotted paths (used by the router-walk tests). */
export function listProcedures(r: AnyRouter): ProcedureInfo[] {
  return Object.entries(
    r._def.procedures as Record<string, { _def: { type: ProcedureInfo["type"]; meta?: ProcedureMeta } }>,
  ).map(([path, procedure]) => ({ path, type: procedure._def.type, meta: procedure._def.meta }));
}
