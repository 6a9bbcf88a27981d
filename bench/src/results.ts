import os from "node:os";
import type { PlanDatasetCounts } from "@deltacrown/db";
import type { EndpointsResults } from "./endpoints-bench.ts";
import type { InProcessStats } from "./in-process.ts";
import type { ScenarioResult } from "./scenario-bench.ts";
import type { LatencyStats } from "./stats.ts";

/** The machine a run measured on (its reports print it next to the figures). */
export interface MachineInfo {
  node: string;
  cpus: number;
  cpuModel: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "?",
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/** What `pnpm bench` writes to bench/results/<timestamp>.json and latest.json. */
export interface BenchResults {
  version: 1;
  startedAt: string;
  /** The exact commands of the run (the report prints them at its top). */
  commands: string[];
  machine: MachineInfo;
  dataset: PlanDatasetCounts & { seedSeconds: number; server: string };
  settings: {
    httpSeconds: number;
    warmupSeconds: number;
    concurrency: number;
    inProcessSeconds: number;
    /** Measured calls per procedure scenario (at most; see scenario-bench.ts). */
    scenarioCalls?: number;
  };
  /** The calibration servers, measured in the same run. */
  /** fastify-const: a Fastify route with the same constant JSON (runs before issue 14 lack it). */
  calibration: { "bare-select": LatencyStats; "bare-const": LatencyStats; "fastify-const"?: LatencyStats };
  /** Every procedure through its query-budget scenario, in-process on the same dataset. */
  scenarios?: ScenarioResult[];
  /** The hot reads, in a hot loop and over HTTP. */
  procedures: ProcedureResult[];
  skipped: { path: string; reason: string }[];
  aims: { name: string; value: number; target: string; met: boolean }[];
  /** Issue 14's five endpoints and transfers ÷ pgbench (runs before it lack them). */
  endpoints?: EndpointsResults;
}

export interface ProcedureResult {
  path: string;
  type: "query" | "mutation";
  category: string;
  budgetQueries: number;
  latencyBudgetMs: number;
  note: string;
  inProcess: { cached?: InProcessStats; uncached?: InProcessStats };
  http?: HttpRecord;
  /** `bench:check` re-measured this procedure after a suspected regression: its later attempts. */
  httpRetries?: HttpRecord[];
}

export interface HttpRecord {
  cached?: LatencyStats;
  uncached?: LatencyStats;
  /**
   * The calibration server measured right before and right after this procedure (their mean): on
   * a shared machine the neighbours' load changes within a run, so each procedure has its own.
   */
  bareSelect?: LatencyStats;
}

/** What `pnpm loadtest` writes to bench/results/loadtest-latest.json (and loadtest-max-latest.json). */
export interface LoadtestResults {
  version: 1;
  startedAt: string;
  commands: string[];
  dataset: PlanDatasetCounts;
  mix: { name: string; procedure: string; perMinute: number; p95BudgetMs: number }[];
  notes: string[];
  settings: {
    seconds: number;
    singleSeconds?: number;
    users: number;
    thinkMeanMs: number;
    tolerance: number;
    floorMs: number;
  };
  /** One user with the many users' think time: the baseline of the degradation check. */
  single?: Record<string, LatencyStats>;
  /** One user back to back, for reading (a best case: nothing idles between requests). */
  hotLoop?: Record<string, LatencyStats>;
  /** The bare constant-JSON server, 1 user back to back vs with think time: the machine's wake-up cost. */
  wakeUp?: { hotLoop: LatencyStats; thinking: LatencyStats };
  many?: Record<string, LatencyStats>;
  degradation?: { name: string; p95At1: number; p95AtN: number; change: number; failed: boolean }[];
  maxRate?: {
    steps: { offered: number; achieved: number; p95: Record<string, number>; met: boolean }[];
    highestMet: number;
  };
}
