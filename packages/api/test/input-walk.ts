/**
 * Walks a procedure's zod input schema (zod 4's `_zod.def`) down to its leaves — every string,
 * number and date an input can carry, with its path — so a test can aim hostile values at each.
 */
import { type z } from "zod";

export type LeafKind = "string" | "number" | "date";
type Segment = { key: string } | { index: true } | { recordKey: string };

export interface Leaf {
  kind: LeafKind;
  segments: Segment[];
  /** The dotted path zod reports for this leaf ("customFields.0.label"). */
  path: string;
  schema: z.ZodType;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "nonoptional", "catch"]);
const RECORD_KEYS = ["k", "key", "riot_id"];

function pathOf(segments: Segment[]): string {
  return segments.map((s) => ("key" in s ? s.key : "index" in s ? "0" : s.recordKey)).join(".");
}

/** Every leaf of `schema`; union branches contribute their own leaves (paths may repeat). */
export function leavesOf(schema: z.ZodType, segments: Segment[] = []): Leaf[] {
  const def = defOf(schema);
  const leaf = (kind: LeafKind): Leaf[] => [{ kind, segments, path: pathOf(segments), schema }];
  if (def.type === "string") return leaf("string");
  if (def.type === "number") return leaf("number");
  if (def.type === "date") return leaf("date");
  if (WRAPPERS.has(def.type) && def.innerType) return leavesOf(def.innerType, segments);
  if (def.type === "pipe" && def.in) return leavesOf(def.in, segments);
  if (def.type === "object" && def.shape)
    return Object.entries(def.shape).flatMap(([key, s]) => leavesOf(s, [...segments, { key }]));
  if (def.type === "array" && def.element) return leavesOf(def.element, [...segments, { index: true }]);
  if (def.type === "tuple" && def.items) return def.items.flatMap((s) => leavesOf(s, [...segments, { index: true }]));
  if ((def.type === "union" || def.type === "xor") && def.options)
    return def.options.flatMap((o) => leavesOf(o, segments));
  if (def.type === "intersection" && def.left && def.right)
    return [...leavesOf(def.left, segments), ...leavesOf(def.right, segments)];
  if (def.type === "record" && def.keyType && def.valueType) {
    const keyType = def.keyType;
    const key = RECORD_KEYS.find((k) => keyType.safeParse(k).success);
    if (key === undefined) throw new Error(`no sample key fits the record at "${pathOf(segments)}"`);
    return leavesOf(def.valueType, [...segments, { recordKey: key }]);
  }
  // Enums, literals and booleans refuse anything but their values; nothing else is expected here.
  if (["enum", "literal", "boolean"].includes(def.type)) return [];
  throw new Error(`input-walk: unhandled zod type "${def.type}" at "${pathOf(segments)}"`);
}

/** An input holding only `value` at the leaf's path (other fields missing: their issues are not ours). */
export function inputWith(leaf: Leaf, value: unknown): unknown {
  let out: unknown = value;
  for (const segment of [...leaf.segments].reverse())
    out = "key" in segment ? { [segment.key]: out } : "index" in segment ? [out] : { [segment.recordKey]: out };
  return out;
}

/** The paths zod reports for an input (issues of a union included, as the API reports them). */
export function issuePaths(error: z.ZodError): string[] {
  return error.issues.map((i) => i.path.map(String).join("."));
}

/** Values each kind of leaf accepts somewhere; the walk finds one its leaf takes. */
export const CLEAN_SAMPLES: Record<LeafKind, readonly unknown[]> = {
  string: [
    "crown-five",
    "Crown Five",
    "crown_user",
    "https://example.com/page",
    "player@example.com",
    "long-enough-password",
    "USD",
    "ABCDEF123456",
    "1.5",
    "1700000000000-0",
    "1767225600000:5",
    "riot_id",
    "0b7e6f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
  ],
  number: [1, 2, 3, 5],
  date: ["2030-06-01T12:00:00.000Z"],
};

/** The same clean string with a NUL in its middle. */
export const withNul = (clean: string) =>
  `${clean.slice(0, Math.ceil(clean.length / 2))}\u0000${clean.slice(Math.ceil(clean.length / 2))}`;
