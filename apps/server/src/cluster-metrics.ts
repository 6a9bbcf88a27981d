/*
 * /metrics with several API processes (WEB_CONCURRENCY, processes.ts). Each process counts only
 * what it served, and the primary hands each scrape's connection to any of them: a scrape would
 * see one process's counters, and counters that jump between processes read as resets to
 * Prometheus. So the process that takes the scrape asks the primary, which gathers every
 * process's registry (prom-client's AggregatorRegistry: counters and histograms summed, gauges
 * by their `aggregator`) and answers with the whole.
 */
import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

const REQUEST = "dc:cluster-metrics";
const ANSWER = "dc:cluster-metrics-answer";
/** Longer than prom-client's own 5 s wait for the processes' answers. */
const WAIT_MS = 6000;

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers the processes' requests for every process's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== REQUEST) return;
    const answer = (body: Omit<Answer, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: ANSWER, id: message.id, ...body });
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: String(error) }),
    );
  });
}

/**
 * In a forked API process: offers `registry` to the primary's gathering, and returns what
 * /metrics serves — the whole cluster's metrics. Undefined outside a cluster (one process).
 */
export function clusterMetricsOf(registry: Registry): (() => Promise<string>) | undefined {
  if (!cluster.isWorker) return undefined;
  // Constructing one installs prom-client's answering listener in this process.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const waiting = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on("message", (message: Answer) => {
    if (message?.type !== ANSWER) return;
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.text !== undefined) pending?.resolve(message.text);
    else pending?.reject(new Error(message.error ?? "no metrics"));
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error("the other API processes did not answer in time"));
      }, WAIT_MS);
      waiting.set(id, {
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      process.send?.({ type: REQUEST, id });
    });
}
