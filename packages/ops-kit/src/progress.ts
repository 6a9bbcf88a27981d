export interface Progress {
  /** `n` more items are done. */
  tick(n?: number): void;
  /** The last line: how many, and how long it took. */
  done(note?: string): void;
}

export interface ProgressOptions {
  /** Where lines go (default: stderr, so a command's stdout stays its result). */
  write?: (line: string) => void;
  /** At most one line per this many ms (default 1000), besides each 10% step. */
  everyMs?: number;
  now?: () => number;
}

const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * Progress of a long command as plain lines (they read the same in a terminal and in a CI log):
 * `label: 300/1200 (25%)` at each 10% step or after `everyMs`, whichever comes first, and
 * `label: 1200/1200 done in 3.2 s` at the end.
 */
export function progress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const write = options.write ?? stderrLine;
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? 1000;
  const started = now();
  let count = 0;
  let lastLine = started;
  let lastStep = 0;
  return {
    tick(n = 1) {
      count += n;
      const step = total > 0 ? Math.floor((count / total) * 10) : 0;
      const t = now();
      if (count < total && (step > lastStep || t - lastLine >= everyMs)) {
        lastStep = step;
        lastLine = t;
        write(`${label}: ${count}/${total} (${Math.floor((count / total) * 100)}%)`);
      }
    },
    done(note) {
      write(`${label}: ${count}/${total} done in ${formatSeconds(now() - started)}${note ? ` — ${note}` : ""}`);
    },
  };
}

/** Runs one step of a command between a "label…" line and a "label: done in X s" line. */
export async function step<T>(
  label: string,
  fn: () => Promise<T>,
  write: (line: string) => void = stderrLine,
): Promise<T> {
  const started = performance.now();
  write(`${label}…`);
  const result = await fn();
  write(`${label}: done in ${formatSeconds(performance.now() - started)}`);
  return result;
}
