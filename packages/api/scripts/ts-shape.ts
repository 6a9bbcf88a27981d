/*
 * A JSON Schema (from z.toJSONSchema) written as a TypeScript-like type, for docs/procedures.md:
 * readable at a glance; the bounds (lengths, ranges, patterns) live in /openapi.json.
 */
type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
};

const WIDTH = 100;

function scalar(type: string): string {
  return type === "integer" ? "number" : type;
}

export function tsShape(schema: Schema, indent = ""): string {
  if ("const" in schema) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => tsShape(s, indent)).join(" | ");
  if (schema.allOf) return schema.allOf.map((s) => tsShape(s, indent)).join(" & ");
  if (Array.isArray(schema.type)) return schema.type.map((type) => tsShape({ ...schema, type }, indent)).join(" | ");
  switch (schema.type) {
    case "array": {
      const item = schema.items ? tsShape(schema.items, indent) : "unknown";
      return /[|&]/.test(item) && !item.startsWith("{") ? `(${item})[]` : `${item}[]`;
    }
    case "object": {
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0) {
        const extra = schema.additionalProperties;
        return typeof extra === "object" ? `Record<string, ${tsShape(extra, indent)}>` : "{}";
      }
      const required = new Set(schema.required ?? []);
      const inner = indent + "  ";
      const fields = props.map(([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${tsShape(v, inner)}`);
      const flat = `{ ${fields.join("; ")} }`;
      if (flat.length + indent.length <= WIDTH && !flat.includes("\n")) return flat;
      return `{\n${fields.map((f) => `${inner}${f};`).join("\n")}\n${indent}}`;
    }
    case undefined:
      return "unknown";
    default:
      return scalar(schema.type);
  }
}
