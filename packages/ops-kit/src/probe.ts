export type ProbeResult = { status: "up"; latencyMs: number } | { status: "down"; latencyMs: number; error: string };

/** Runs one dependency check with a deadline: up with its latency, or down with why. */
export async function probe<T>(fn: () => Promise<T>, timeoutMs = 1000): Promise<ProbeResult> {
  const started = performance.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
    return { status: "up" as const, latencyMs: round(performance.now() - started) };
  } catch (error) {
    return {
      status: "down" as const,
      latencyMs: round(performance.now() - started),
      error: error instanceof Error ? error.message : "unreachable",
    };
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
