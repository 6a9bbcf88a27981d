/*
 * `pnpm bench:import [--teams 5000]`: times `pnpm import:legacy` on the old site's sample and on a
 * generated legacy database of --teams teams (same shape, same damage), each into a freshly
 * migrated DeltaCrown database on DATABASE_URL's server (all scratch databases are dropped).
 */
import { randomBytes } from "node:crypto";
import { parseCommand } from "@deltacrown/ops-kit/cli";
import type { ImportResult } from "../src/index.ts";

const { values } = parseCommand({
  name: "pnpm bench:import",
  summary: "time pnpm import:legacy on the old site's sample and on a generated legacy database",
  options: {
    teams: {
      type: "number",
      description: "teams in the generated legacy database",
      default: 5000,
      min: 1,
      integer: true,
    },
  },
  env: { DATABASE_URL: "its server hosts the scratch databases (required)" },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { migrateToLatest } = await import("@deltacrown/db");
const { default: pg } = await import("pg");
const { runImport } = await import("../src/index.ts");
const { generateLegacy, LEGACY_SAMPLE, loadDump } = await import("../src/testing/index.ts");

const teams = values.teams;
const server = process.env.DATABASE_URL;
if (!server) {
  process.stderr.write("DATABASE_URL (a Postgres server to create scratch databases on) is required\n");
  process.exit(2);
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const admin = async (statement: string) => {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
};
const urlOf = (name: string) => {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
};

async function bench(label: string, fill: (legacyUrl: string) => Promise<void>): Promise<ImportResult> {
  const tag = randomBytes(3).toString("hex");
  const names = { legacy: `dc_bench_legacy_${tag}`, target: `dc_bench_target_${tag}` };
  await admin(`create database ${names.legacy}`);
  await admin(`create database ${names.target}`);
  try {
    const t0 = performance.now();
    await fill(urlOf(names.legacy));
    out(`${label}: legacy database ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await migrateToLatest({ connectionString: urlOf(names.target) });
    const result = await runImport({
      targetUrl: urlOf(names.target),
      sourceUrl: urlOf(names.legacy),
      out: (line) => {
        if (line.startsWith("OK") || line.startsWith("NOT OK") || line.startsWith("This run")) out(`${label}: ${line}`);
      },
    });
    const rows = result.reconciliation.entities.reduce((n, e) => n + e.read, 0);
    out(
      `${label}: ${rows} legacy rows imported in ${(result.run.durationMs / 1000).toFixed(2)} s ` +
        `(${result.run.batches} batches, slowest ${result.run.slowestBatchMs.toFixed(0)} ms, ` +
        `≤ ${result.run.mostQueries} queries a batch)`,
    );
    return result;
  } finally {
    await admin(`drop database if exists ${names.legacy} with (force)`);
    await admin(`drop database if exists ${names.target} with (force)`);
  }
}

const sample = await bench("sample", (url) => loadDump(url, LEGACY_SAMPLE));
const generated = await bench(`${teams} teams`, (url) => generateLegacy(url, teams));
process.exitCode = sample.ok && generated.ok ? 0 : 1;
