/**
 * Hostile input gets a typed 4xx, never a 500 — for every procedure at once. The router is walked
 * (not a hand list): each string, number and date its input schema can carry is aimed at, through
 * the real procedure, with a NUL-bearing string, an id beyond its column type, a date in year
 * −200000 — each must be BAD_REQUEST with that field's path, and change nothing.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ID_COLUMNS, INT4_MAX } from "../src/schemas/common.ts";
import { appRouter, listProcedures } from "../src/index.ts";
import { CLEAN_SAMPLES, inputWith, issuePaths, leavesOf, withNul, type Leaf } from "./input-walk.ts";
import { useApi, type Caller } from "./support.ts";

const api = useApi();

interface ProcedureDef {
  _def: { inputs: z.ZodType[] };
}
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

/** The input schema of a procedure (none: it takes no input). */
function inputOf(path: string): z.ZodType | undefined {
  const inputs = procedures[path]?._def.inputs ?? [];
  if (inputs.length > 1) throw new Error(`${path} has ${inputs.length} input parsers; merge them`);
  return inputs[0];
}

/** Does `value` at the leaf parse without an issue at the leaf's own path? */
function acceptedAt(schema: z.ZodType, leaf: Leaf, value: unknown): boolean {
  const result = schema.safeParse(inputWith(leaf, value));
  return result.success || !issuePaths(result.error).includes(leaf.path);
}

/** A value the leaf takes, so that refusing the hostile variant proves the hostile part is what is refused. */
function cleanSample(schema: z.ZodType, leaf: Leaf): unknown {
  const found = CLEAN_SAMPLES[leaf.kind].find((v) => acceptedAt(schema, leaf, v));
  if (found === undefined) throw new Error(`no clean sample fits ${leaf.path}; add one to CLEAN_SAMPLES`);
  return found;
}

/** The column an id input is bounded to, from the metadata idOf() attaches. */
function idColumnOf(leaf: Leaf): keyof typeof ID_COLUMNS | undefined {
  const meta = z.globalRegistry.get(leaf.schema) as { idColumn?: string } | undefined;
  return meta?.idColumn?.split(".")[0] as keyof typeof ID_COLUMNS | undefined;
}

/** The hostile values for a leaf: what each must be refused for. */
/** Number inputs that are not stored in an integer column. */
const NOT_INTEGER = new Set(["registrations.register fields.k"]);

function hostileValues(path: string, schema: z.ZodType, leaf: Leaf): { label: string; value: unknown }[] {
  const clean = cleanSample(schema, leaf);
  if (leaf.kind === "string") return [{ label: "a NUL character", value: withNul(String(clean)) }];
  if (leaf.kind === "date")
    return [
      { label: "year −200000", value: "-200000-01-01T00:00:00.000Z" },
      { label: "year 2101", value: "2101-01-01T00:00:00.000Z" },
      { label: "an invalid date", value: "2030-02-31T99:00:00Z" },
    ];
  const table = idColumnOf(leaf);
  const beyond =
    table && ID_COLUMNS[table] === "bigint"
      ? { label: "2^53 (beyond a bigint id a JSON number carries exactly)", value: Number.MAX_SAFE_INTEGER + 1 }
      : { label: "2^31 (beyond int4)", value: INT4_MAX + 1 };
  // Numbers go to integer columns (a fraction would be a 500: "invalid input syntax for type
  // integer"), except a registrant's answer to a number field, which is stored in JSON.
  const fraction = NOT_INTEGER.has(`${path} ${leaf.path}`) ? [] : [{ label: "a fraction", value: 1.5 }];
  return [beyond, { label: "1e308", value: 1e308 }, ...fraction];
}

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const key of path.split(".")) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

let signedIn: Promise<{ caller: Caller }> | undefined;
/** One signed-in user for every case (authed procedures check the session before the input). */
const user = () => (signedIn ??= api.user("hostile_walker"));

describe("every procedure's input refuses hostile values with BAD_REQUEST and a field path", () => {
  const walked = listProcedures(appRouter).map((p) => ({ ...p, schema: inputOf(p.path) }));

  it("the walk covers the whole router", () => {
    expect(walked.length).toBe(Object.keys(procedures).length);
    const leaves = walked.flatMap((p) => (p.schema ? leavesOf(p.schema) : []));
    // Every kind of leaf is present, so a regression in the walk itself shows here.
    expect(new Set(leaves.map((l) => l.kind))).toEqual(new Set(["string", "number", "date"]));
    expect(leaves.length).toBeGreaterThan(150);
  });

  for (const p of walked) {
    const schema = p.schema;
    if (!schema) continue;
    it(`${p.path}`, async () => {
      const { caller } = await user();
      for (const leaf of leavesOf(schema)) {
        for (const { label, value } of hostileValues(p.path, schema, leaf)) {
          const error = await api.refused(() => call(caller, p.path, inputWith(leaf, value)), {
            code: "BAD_REQUEST",
            field: leaf.path,
          });
          expect(error.cause, `${p.path} ${leaf.path} with ${label}`).toBeInstanceOf(z.ZodError);
        }
      }
    });
  }
});

describe("the id bounds follow the migrated schema", () => {
  it("ID_COLUMNS names each table's real id type", async () => {
    const { rows } = await sql<{ table: string; type: string }>`select table_name as table, data_type as type
      from information_schema.columns where table_schema = 'public' and column_name = 'id'`.execute(api.db);
    const actual = Object.fromEntries(rows.map((r) => [r.table, r.type]));
    for (const [table, type] of Object.entries(ID_COLUMNS))
      expect(`${table}: ${actual[table]}`).toBe(`${table}: ${type}`);
  });
});
