/**
 * Writes src/router-shape.generated.ts: every procedure's kind, input and output as plain
 * TypeScript types, read from the server's router type with the compiler. The published client
 * builds its router type from this file, so a consumer needs neither @deltacrown/api nor the
 * server's dependencies (kysely, pg, ioredis …) to type-check: their types never reach it.
 * `--check` exits 1 when the file is out of date (CI, and a test).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const target = `${root}src/router-shape.generated.ts`;
const probe = `${root}scripts/router-probe.ts`;

const program = ts.createProgram([probe], {
  strict: true,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2023,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  types: ["node"],
  // Workspace packages export their TypeScript sources under "source" (dist/ by default).
  customConditions: ["source"],
});
const checker = program.getTypeChecker();
const source = program.getSourceFile(probe)!;

function aliasType(name: string): ts.Type {
  let found: ts.Type | undefined;
  ts.forEachChild(source, (node) => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === name) found = checker.getTypeAtLocation(node.name);
  });
  if (!found) throw new Error(`router-probe.ts has no type ${name}`);
  return found;
}

const prop = (type: ts.Type, name: string) => {
  const symbol = type.getProperty(name);
  if (!symbol) throw new Error(`no property ${name} on ${checker.typeToString(type)}`);
  return checker.getTypeOfSymbol(symbol);
};

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

/** A type written out structurally (no names from the server's packages), as JSON-able data. */
function print(type: ts.Type, depth = 0): string {
  if (depth > 30) throw new Error(`type too deep: ${checker.typeToString(type)}`);
  const flags = type.flags;
  if (type.isUnion()) {
    const parts = [...new Set(type.types.map((t) => print(t, depth + 1)))];
    // `boolean` is the union true | false.
    const hasTrue = parts.includes("true");
    const hasFalse = parts.includes("false");
    const rest = parts.filter((p) => !(hasTrue && hasFalse && (p === "true" || p === "false")));
    if (hasTrue && hasFalse) rest.push("boolean");
    return rest.map((p) => (p.includes("=>") ? `(${p})` : p)).join(" | ");
  }
  if (
    flags &
    (ts.TypeFlags.String |
      ts.TypeFlags.Number |
      ts.TypeFlags.Boolean |
      ts.TypeFlags.BooleanLiteral |
      ts.TypeFlags.StringLiteral |
      ts.TypeFlags.NumberLiteral |
      ts.TypeFlags.Null |
      ts.TypeFlags.Undefined |
      ts.TypeFlags.Void |
      ts.TypeFlags.Unknown |
      ts.TypeFlags.Any |
      ts.TypeFlags.Never |
      ts.TypeFlags.BigInt)
  )
    return checker.typeToString(type);
  if (type.isIntersection()) return type.types.map((t) => print(t, depth + 1)).join(" & ");
  if (checker.isTupleType(type)) {
    const args = checker.getTypeArguments(type as ts.TypeReference);
    // tRPC's tracked event [id, data, unique symbol]: named, since a unique symbol has no structure.
    if (args.length === 3 && args[2]!.flags & ts.TypeFlags.UniqueESSymbol)
      return `TrackedEnvelope<${print(args[1]!, depth + 1)}>`;
    return `[${args.map((a) => print(a, depth + 1)).join(", ")}]`;
  }
  if (false) {
    const args = checker.getTypeArguments(type as ts.TypeReference);
    return `[${args.map((a) => print(a, depth + 1)).join(", ")}]`;
  }
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type as ts.TypeReference);
    const inner = print(element!, depth + 1);
    return /[|&]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
  }
  if (flags & ts.TypeFlags.Object) {
    const members: string[] = [];
    const index = checker.getIndexInfosOfType(type);
    for (const info of index)
      members.push(`[key: ${checker.typeToString(info.keyType)}]: ${print(info.type, depth + 1)}`);
    for (const symbol of checker.getPropertiesOfType(type)) {
      const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
      let propType = checker.getTypeOfSymbol(symbol);
      if (optional) propType = checker.getNonNullableType(propType) === propType ? propType : propType;
      const readonly = symbol.declarations?.some((d) => ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Readonly);
      members.push(
        `${readonly ? "readonly " : ""}${key(symbol.name)}${optional ? "?" : ""}: ${print(propType, depth + 1)}`,
      );
    }
    return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
  }
  throw new Error(`cannot print ${checker.typeToString(type)}`);
}

const inputs = aliasType("Inputs");
const outputs = aliasType("Outputs");
const record = aliasType("Procs");
const lines: string[] = [
  "/* Generated by `pnpm --filter @deltacrown/client generate` from the server's router: do not edit. */",
  "/* eslint-disable */",
  'import type { TrackedEnvelope } from "@trpc/server";',
  "",
  "/** Every procedure: its kind, input and output (as the client receives it). */",
  "export interface RouterShape {",
];
let count = 0;
for (const ns of checker.getPropertiesOfType(record)) {
  lines.push(`  ${key(ns.name)}: {`);
  const nsType = checker.getTypeOfSymbol(ns);
  for (const proc of checker.getPropertiesOfType(nsType)) {
    const procType = checker.getTypeOfSymbol(proc);
    const kind = checker.typeToString(prop(prop(procType, "_def"), "type"));
    const input = print(prop(prop(inputs, ns.name), proc.name));
    let output = print(prop(prop(outputs, ns.name), proc.name));
    // A subscription's output is what each event carries (tracked: with its id for resuming).
    if (kind === '"subscription"') output = print(aliasTypeOfSubscription(ns.name, proc.name));
    lines.push(`    ${key(proc.name)}: { type: ${kind}; input: ${input}; output: ${output} };`);
    count++;
  }
  lines.push("  };");
}
lines.push("}", "");
lines.push(
  "/** The `data` of every error the API sends (tRPC's code and HTTP status, and ours). */",
  `export type ErrorData = ${print(aliasType("ErrorDataShape"))};`,
  "",
);

/** The yield type of a subscription's async iterable (its TrackedEnvelope written out). */
function aliasTypeOfSubscription(ns: string, name: string): ts.Type {
  const yields = aliasType("Yields");
  return prop(prop(yields, ns), name);
}

const text = lines.join("\n");
if (process.argv.includes("--check")) {
  const current = readFileSync(target, "utf8");
  if (current !== text) {
    process.stderr.write(`${target} is out of date: run pnpm --filter @deltacrown/client generate\n`);
    process.exit(1);
  }
  process.stdout.write(`router shape up to date (${count} procedures)\n`);
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target} (${count} procedures)\n`);
}
