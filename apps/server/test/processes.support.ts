import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trackOpen, waitFor } from "@deltacrown/test-harness";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

export type LogLine = Record<string, unknown>;

export interface RunningProcess {
  child: ChildProcess;
  /** stdout parsed line by line (a line that is not JSON is kept as { raw }). */
  lines: LogLine[];
  stderr: () => string;
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs one of the repository's entry points as a real process (tsx, on sources), collecting its
 * log lines. `singleProcess`: node itself loads tsx (`node --import tsx`) instead of the tsx CLI,
 * which runs the program in a child of its own — a SIGKILL of the CLI would leave that child running.
 */
export function startProcess(
  file: string,
  env: NodeJS.ProcessEnv,
  options: { singleProcess?: boolean } = {},
): RunningProcess {
  return options.singleProcess
    ? startCommand(process.execPath, ["--conditions=source", "--import", "tsx", path.join(repoRoot, file)], env)
    : startCommand(tsx, ["--conditions=source", path.join(repoRoot, file)], env);
}
/**
 * Runs a built entry point the way production does: plain `node` on dist/, without the "source"
 * condition pnpm's node-options adds for development (with it, node would load TypeScript).
 */
export function startBuilt(file: string, env: NodeJS.ProcessEnv): RunningProcess {
  const production = { ...env, NODE_OPTIONS: withoutSourceCondition(env.NODE_OPTIONS) };
  return startCommand(process.execPath, [path.join(repoRoot, file)], production);
}

export function withoutSourceCondition(nodeOptions: string | undefined): string {
  return (nodeOptions ?? "")
    .split(" ")
    .filter((o) => o !== "--conditions=source" && o !== "-C=source")
    .join(" ");
}

/**
 * Any command as a real process. `detached`: in a process group of its own (its pid is the
 * group's id), so a test can signal the whole group the way a terminal's Ctrl-C does.
 */
export function startCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { detached?: boolean } = {},
): RunningProcess {
  const file = path.relative(repoRoot, args.find((a) => !a.startsWith("-")) ?? command);
  const child = spawn(command, args, {
    cwd: repoRoot,
    // One API process, as before WEB_CONCURRENCY existed, unless a test asks for more.
    env: { WEB_CONCURRENCY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
  });
  const lines: LogLine[] = [];
  let buffered = "";
  let errors = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!text) continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ raw: text });
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const untrack = trackOpen(`process ${file}`, async () => {
    if (options.detached && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // the group is gone already
      }
    } else child.kill("SIGKILL");
    await exited;
  });
  void exited.then(untrack);
  return {
    child,
    lines,
    stderr: () => errors,
    waitForLine: (match, timeoutMs = 120_000) =>
      waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`${file} exited ${child.exitCode}: ${errors}`);
          return lines.find(match);
        },
        { timeoutMs },
      ),
    exited,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
