/*
 * Operator command for failed jobs: `pnpm jobs failed` lists jobs whose last attempt failed
 * (retrying with backoff, or out of attempts), `pnpm jobs retry <id>` runs one again now with a
 * fresh set of attempts. Reads DATABASE_URL.
 */
import { pathToFileURL } from "node:url";
import { makeWorkerUtils } from "graphile-worker";

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

export async function listFailedJobs(connectionString: string): Promise<FailedJob[]> {
  const utils = await makeWorkerUtils({ connectionString });
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
      lastError: r.last_error.split("\n")[0] ?? "",
      key: r.key,
    }));
  } finally {
    await utils.release();
  }
}

/** Runs a failed job again now, with its attempts reset. False when there is no such job. */
export async function retryJob(connectionString: string, id: string): Promise<boolean> {
  const utils = await makeWorkerUtils({ connectionString });
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

async function main(argv: string[]): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write("DATABASE_URL is required\n");
    return 2;
  }
  const [command, id] = argv;
  if (command === "failed") {
    const jobs = await listFailedJobs(url);
    if (jobs.length === 0) process.stdout.write("no failed jobs\n");
    for (const j of jobs)
      process.stdout.write(
        `${j.id}\t${j.task}\t${j.state}\tattempt ${j.attempts}/${j.maxAttempts}\tnext ${j.runAt}\t${j.lastError}\n`,
      );
    return 0;
  }
  if (command === "retry" && id && /^\d+$/.test(id)) {
    const ok = await retryJob(url, id);
    process.stdout.write(ok ? `job ${id} rescheduled to run now\n` : `no job ${id}\n`);
    return ok ? 0 : 1;
  }
  process.stderr.write("usage: pnpm jobs failed | pnpm jobs retry <id>\n");
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
