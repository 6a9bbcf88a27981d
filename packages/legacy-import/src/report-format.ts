import type { BatchStats } from "./batch.ts";
import type { Reconciliation } from "./reconcile.ts";
import type { RunSummary } from "./run-import.ts";

const pad = (value: string | number, width: number) => String(value).padStart(width);

export function formatBatch(s: BatchStats, queries: number, ms: number): string {
  return (
    `${s.entity.padEnd(20)} batch ${pad(s.batch, 3)}  read ${pad(s.read, 5)}  new ${pad(s.written, 5)}` +
    `  refused ${pad(s.refused, 4)}  skipped ${pad(s.skipped, 5)}  ${queries} queries  ${pad(ms.toFixed(0), 5)} ms`
  );
}

/** The reconciliation report, as printed at the end of every run (and kept in legacy_import_runs). */
export function formatReport(r: Reconciliation, run: RunSummary, failure: string | undefined): string[] {
  const lines = [
    "",
    "Reconciliation of the whole import (every run so far)",
    `${"entity".padEnd(20)} ${pad("read", 7)} ${pad("imported", 9)} ${pad("linked", 7)} ${pad("refused", 8)} ${pad("unaccounted", 12)}`,
  ];
  for (const e of r.entities)
    lines.push(
      `${e.entity.padEnd(20)} ${pad(e.read, 7)} ${pad(e.imported, 9)} ${pad(e.linked, 7)} ${pad(e.refused, 8)} ${pad(e.unaccounted, 12)}`,
    );
  lines.push("", "Refused rows, by reason (old ids)");
  for (const e of r.entities)
    for (const x of e.reasons)
      lines.push(
        `  ${e.entity.padEnd(20)} ${x.reason.padEnd(22)} ${pad(x.count, 5)}  ${x.text}  [${x.examples.join(", ")}${x.count > x.examples.length ? ", …" : ""}]`,
      );
  lines.push("", "Brought across with a note (old ids)");
  for (const e of r.entities)
    for (const x of e.notes)
      lines.push(
        `  ${e.entity.padEnd(20)} ${x.note.padEnd(22)} ${pad(x.count, 5)}  ${x.text}  [${x.examples.join(", ")}${x.count > x.examples.length ? ", …" : ""}]`,
      );
  lines.push("", "Checksums: accepted legacy rows vs DeltaCrown (rows, total, per-key digest)");
  for (const c of r.checksums) {
    lines.push(
      `  ${c.equal ? "equal   " : "DIFFERS "} ${c.name.padEnd(52)} ${pad(c.source.rows, 6)} rows  total ${c.source.total}` +
        (c.equal ? "" : ` vs ${c.target.rows} rows, total ${c.target.total}`),
    );
    for (const m of c.mismatches)
      lines.push(`           old id ${m.key}: source ${m.source ?? "—"}, DeltaCrown ${m.target ?? "—"}`);
  }
  lines.push(
    "",
    `This run (#${run.runId}): ${run.batches} batches, slowest ${run.slowestBatchMs.toFixed(0)} ms, at most ${run.mostQueries} queries a batch, ${(run.durationMs / 1000).toFixed(2)} s in all`,
  );
  if (failure) lines.push(`FAILED: a batch ran out of attempts: ${failure}`);
  const unaccounted = r.entities.reduce((n, e) => n + Math.abs(e.unaccounted), 0);
  lines.push(
    r.ok && !failure
      ? "OK: every legacy row is accounted for and every checksum is equal"
      : `NOT OK: ${unaccounted} rows unaccounted, ${r.checksums.filter((c) => !c.equal).length} checksums differ`,
  );
  return lines;
}
