/*
 * Operator command for failed jobs: `pnpm jobs failed` lists jobs whose last attempt failed
 * (retrying with backoff, or out of attempts), `pnpm jobs retry <id>` runs one again now with a
 * fresh set of attempts. Reads DATABASE_URL.
 */
import { pathToFileURL } from "node:url";
import { exitWithUsage, parseCommand } from "@deltacrown/ops-kit/cli";

export interface FailedJob {
  id: string;
  task: string;
  attempts: number;
  maxAttempts: number;
  /** "retrying": graphile-worker will try again at runAt (exponential backoff); "dead": out of attempts. */
  state: "retrying" | "dead";
  runAt: string;
  lastError: string;
  key: string | null;
}

// graphile-worker and zod are loaded when jobs are listed or retried, not when this module is: --help
// and a bad flag answer without loading them.
async function workerUtils(connectionString: string) {
  const { makeWorkerUtils } = await import("graphile-worker");
  return makeWorkerUtils({ connectionString });
}

export async function listFailedJobs(connectionString: string): Promise<FailedJob[]> {
  const { summarizeJobError } = await import("./job-errors.ts");
  const utils = await workerUtils(connectionString);
  try {
    const { rows } = await utils.withPgClient((client) =>
      client.query<{
        id: string;
        task: string;
        attempts: number;
        max_attempts: number;
        run_at: Date;
        last_error: string;
        key: string | null;
      }>(`select j.id::text, t.identifier as task, j.attempts, j.max_attempts, j.run_at, j.last_error, j.key
        from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where j.last_error is not null
        order by j.id`),
    );
    return rows.map((r) => ({
      id: r.id,
      task: r.task,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      state: r.attempts >= r.max_attempts ? "dead" : "retrying",
      runAt: r.run_at.toISOString(),
      lastError: summarizeJobError(r.last_error),
      key: r.key,
    }));
  } finally {
    await utils.release();
  }
}

/** Runs a failed job again now, with its attempts reset. False when there is no such job. */
export async function retryJob(connectionString: string, id: string): Promise<boolean> {
  const utils = await workerUtils(connectionString);
  try {
    // Not utils.rescheduleJobs: it turns `attempts: 0` into null (`|| null`) and keeps the count.
    const { rows } = await utils.withPgClient((client) =>
      client.query(`select id from graphile_worker.reschedule_jobs($1::bigint[], run_at := now(), attempts := 0)`, [
        [id],
      ]),
    );
    return rows.length === 1;
  } finally {
    await utils.release();
  }
}

const spec = {
  name: "pnpm jobs",
  summary: "list the jobs whose last attempt failed, or run one again now",
  usage: ["failed", "retry <id>"],
  positionals: { min: 1, max: 2 },
  env: { DATABASE_URL: "the DeltaCrown database (required)" },
  exitCodes: { 1: "retry: no such job" },
};

/** `pnpm jobs failed` as a table an operator can read: one job per line, its error on one line. */
export function formatFailedJobs(jobs: readonly FailedJob[]): string {
  if (jobs.length === 0) return "no failed jobs\n";
  const rows = jobs.map((j) => [
    j.id,
    j.task,
    j.state,
    `${j.attempts}/${j.maxAttempts}`,
    j.state === "dead" ? "-" : j.runAt,
    j.lastError,
  ]);
  const header = ["ID", "TASK", "STATE", "ATTEMPTS", "NEXT RUN", "LAST ERROR"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  return `${[header, ...rows].map(line).join("\n")}\n${jobs.length} failed job(s); retry one with: pnpm jobs retry <id>\n`;
}

async function main(argv: string[]): Promise<number> {
  const [command, id] = parseCommand(spec, argv).positionals;
  if (command !== "failed" && command !== "retry") exitWithUsage(spec, `unknown command "${command}"`);
  if (command === "failed" && id !== undefined) exitWithUsage(spec, "failed takes no argument");
  if (command === "retry" && (!id || !/^\d{1,19}$/.test(id))) exitWithUsage(spec, "retry needs a job id (a number)");
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("DATABASE_URL is required\n");
    return 2;
  }
  if (command === "failed") {
    process.stdout.write(formatFailedJobs(await listFailedJobs(url)));
    return 0;
  }
  const ok = await retryJob(url, id!);
  process.stdout.write(ok ? `job ${id} rescheduled to run now\n` : `no job ${id}\n`);
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
