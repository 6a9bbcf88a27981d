import { promises as fs, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Cleans up after harness runs that were killed before their teardown (SIGKILL, OOM, a closed CI job):
 * `.data/test-pg-<pid>` clusters and `.data/test-redis-<pid>.pid` servers whose owning run is gone.
 * A leftover server is only signalled when /proc confirms it is that server (no pid-reuse accidents).
 */
export async function sweepStaleRuns(dataRoot: string): Promise<void> {
  const names = await fs.readdir(dataRoot).catch(() => [] as string[]);
  for (const name of names) {
    const match = /^test-(pg|redis)-(\d+)(?:\.pid)?$/.exec(name);
    if (!match || isAlive(Number(match[2]))) continue;
    const entry = path.join(dataRoot, name);
    if (match[1] === "pg") {
      const postmaster = readPid(path.join(entry, "postmaster.pid"));
      if (postmaster && isAlive(postmaster)) {
        // SIGQUIT = immediate shutdown; skip (keep the dir) if we cannot confirm what the pid is.
        if (!cmdlineIncludes(postmaster, entry)) continue;
        process.kill(postmaster, "SIGQUIT");
        await waitForExit(postmaster);
      }
      await fs.rm(entry, { recursive: true, force: true });
    } else {
      const server = readPid(entry);
      if (server && isAlive(server)) {
        if (!cmdlineIncludes(server, "redis-server")) continue;
        process.kill(server, "SIGTERM");
        await waitForExit(server);
      }
      await fs.rm(entry, { force: true });
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").split("\n")[0] ?? "", 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function cmdlineIncludes(pid: number, text: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(text);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}
