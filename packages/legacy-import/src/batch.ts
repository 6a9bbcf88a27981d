import type { Database, LegacyEntity } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { nextEntity, TABLES } from "./entities.ts";
import { addBatchJob } from "./jobs.ts";
import type { LegacyImportBatchPayload } from "./payload.ts";
import type { LegacySource } from "./source.ts";
import type { Classified, EntitySpec, Note, Problem, SourceRow } from "./spec.ts";
import { SPECS } from "./specs.ts";

export interface BatchDeps {
  /** DeltaCrown's database. */
  db: Kysely<Database>;
  legacy: LegacySource;
  /** Test hook (LEGACY_IMPORT_PAUSE_AT): stop inside this batch, after its write, before its commit. */
  pauseAt?: { entity: LegacyEntity; batch: number } | undefined;
  onPause?: ((where: string) => void) | undefined;
  onBatch?: ((stats: BatchStats) => void) | undefined;
}

export interface BatchStats {
  entity: LegacyEntity;
  batch: number;
  read: number;
  /** Rows an earlier (crashed or finished) run already brought across. */
  skipped: number;
  written: number;
  refused: number;
  lastId: string;
  next: Pick<LegacyImportBatchPayload, "entity" | "batch"> | undefined;
}

const INT4_MAX = 2_147_483_647n;

interface Accepted {
  old_id: string;
  keep_id: number | null;
  link_id: number | null;
  [column: string]: unknown;
}

/**
 * One batch of one entity, in three statements: read the legacy rows (with what it takes to judge
 * them), look up the target (rows already brought across, referenced rows' new ids or refusals, taken
 * ids and slugs), then ONE write that inserts the accepted rows, their mapping, the refusals and notes,
 * and enqueues the next batch — in one transaction, so a crash leaves all of the batch or none.
 */
export async function runBatch(deps: BatchDeps, payload: LegacyImportBatchPayload): Promise<BatchStats> {
  if (payload.source !== deps.legacy.label)
    throw new Error(`this batch reads ${payload.source}, but the worker's legacy source is ${deps.legacy.label}`);
  const spec = SPECS[payload.entity];
  // In id order (sorted here: an ORDER BY over the reads' joins misleads the planner badly).
  const rows = (await spec.read(payload.afterId, payload.batchSize).execute(deps.legacy.db)).rows.sort((a, b) =>
    BigInt(a.id) < BigInt(b.id) ? -1 : 1,
  );
  const lastId = rows.at(-1)?.id ?? payload.afterId;
  const next = nextPayload(payload, rows.length, lastId);

  const accepted: Accepted[] = [];
  const refused: { old_id: string; reason: string; detail: string }[] = [];
  const notes: (Note & { old_id: string })[] = [];
  let skipped = 0;
  if (rows.length > 0) {
    const found = await lookup(deps.db, spec, rows);
    for (const row of rows) {
      if (found.done.has(row.id)) {
        skipped++;
        continue;
      }
      const verdict = judge(spec, row, found);
      if (verdict.problems.length > 0) {
        refused.push({ old_id: row.id, ...summarize(verdict.problems) });
        continue;
      }
      const fits = BigInt(row.id) <= INT4_MAX && !found.takenIds.has(Number(row.id));
      accepted.push({
        ...verdict.values,
        old_id: row.id,
        keep_id: fits ? Number(row.id) : null,
        link_id: verdict.linkId ?? null,
      });
      for (const n of verdict.notes ?? []) notes.push({ old_id: row.id, ...n });
    }
  }

  const written = await deps.db.transaction().execute(async (trx) => {
    const result = await write(trx, spec, { accepted, refused, notes, next });
    const pause = deps.pauseAt;
    if (pause && pause.entity === payload.entity && pause.batch === payload.batch) await pauseForever(deps, payload);
    return result;
  });

  const stats: BatchStats = {
    entity: payload.entity,
    batch: payload.batch,
    read: rows.length,
    skipped,
    written,
    refused: refused.length,
    lastId,
    next: next && { entity: next.entity, batch: next.batch },
  };
  deps.onBatch?.(stats);
  return stats;
}

/** The next batch of this entity after a full one, else the first of the next entity; none after the last. */
function nextPayload(p: LegacyImportBatchPayload, read: number, lastId: string): LegacyImportBatchPayload | undefined {
  if (read === p.batchSize) return { ...p, afterId: lastId, batch: p.batch + 1 };
  const entity = nextEntity(p.entity);
  return entity && { ...p, entity, afterId: "0", batch: 1 };
}

interface Found {
  done: Set<string>;
  mapped: Map<string, number>;
  refused: Map<string, string>;
  takenIds: Set<number>;
  extra: Record<string, unknown>;
}

const refKey = (entity: LegacyEntity, oldId: string) => `${entity}:${oldId}`;

async function lookup(db: Kysely<Database>, spec: EntitySpec<SourceRow>, rows: SourceRow[]): Promise<Found> {
  const ids = rows.map((r) => r.id);
  const refs = new Map<string, { entity: LegacyEntity; oldId: string }>();
  for (const row of rows)
    for (const ref of spec.refs(row))
      if (ref.oldId !== null) refs.set(refKey(ref.entity, ref.oldId), { entity: ref.entity, oldId: ref.oldId });
  const refEntities = [...refs.values()].map((r) => r.entity);
  const refIds = [...refs.values()].map((r) => r.oldId);
  const keepIds = ids.filter((id) => BigInt(id) <= INT4_MAX).map(Number);
  const extra = spec.lookup?.(rows) ?? [];
  const { rows: result } = await sql<{
    done: string[];
    mapped: [LegacyEntity, string, number][];
    refused: [LegacyEntity, string, string][];
    taken_ids: number[];
    [extra: string]: unknown;
  }>`select
      (select coalesce(json_agg(old_id::text), '[]'::json) from legacy_import_map
        where entity = ${spec.entity} and old_id = any(${ids}::bigint[])) as done,
      (select coalesce(json_agg(json_build_array(m.entity, m.old_id::text, m.new_id)), '[]'::json)
        from legacy_import_map m join unnest(${refEntities}::text[], ${refIds}::bigint[]) as r(entity, old_id)
          on m.entity = r.entity and m.old_id = r.old_id) as mapped,
      (select coalesce(json_agg(json_build_array(f.entity, f.old_id::text, f.reason)), '[]'::json)
        from legacy_import_refusals f join unnest(${refEntities}::text[], ${refIds}::bigint[]) as r(entity, old_id)
          on f.entity = r.entity and f.old_id = r.old_id) as refused,
      (select coalesce(json_agg(id), '[]'::json) from ${sql.table(TABLES[spec.entity].target)}
        where id = any(${keepIds}::int[])) as taken_ids
      ${extra.length > 0 ? sql`, ${sql.join(extra)}` : sql``}`.execute(db);
  const row = result[0]!;
  return {
    done: new Set(row.done),
    mapped: new Map(row.mapped.map(([e, id, newId]) => [refKey(e, id), newId])),
    refused: new Map(row.refused.map(([e, id, reason]) => [refKey(e, id), reason])),
    takenIds: new Set(row.taken_ids),
    extra: row,
  };
}

/** Referenced rows first (a refused parent explains its children), then the row's own damage. */
function judge(spec: EntitySpec<SourceRow>, row: SourceRow, found: Found): Classified {
  const problems: Problem[] = [];
  for (const ref of spec.refs(row)) {
    if (ref.oldId === null || found.mapped.has(refKey(ref.entity, ref.oldId))) continue;
    const reason = found.refused.get(refKey(ref.entity, ref.oldId));
    problems.push(
      reason
        ? { reason: ref.reason, detail: `${ref.as} ${ref.oldId} was refused (${reason})` }
        : { reason: "reference_missing", detail: `${ref.as} ${ref.oldId} is not in the old database` },
    );
  }
  const verdict = spec.classify(row, {
    newId: (entity, oldId) => (oldId === null ? undefined : found.mapped.get(refKey(entity, oldId))),
    extra: found.extra,
  });
  return { ...verdict, problems: [...problems, ...verdict.problems] };
}

/** The first problem is the reason; the others ride along in the detail. */
function summarize(problems: Problem[]): { reason: string; detail: string } {
  const [first, ...others] = problems;
  const also = others.length > 0 ? `; also ${others.map((p) => `${p.reason} (${p.detail})`).join(", ")}` : "";
  return { reason: first!.reason, detail: `${first!.detail}${also}` };
}

async function write(
  db: Kysely<Database>,
  spec: EntitySpec<SourceRow>,
  batch: {
    accepted: Accepted[];
    refused: { old_id: string; reason: string; detail: string }[];
    notes: (Note & { old_id: string })[];
    next: LegacyImportBatchPayload | undefined;
  },
): Promise<number> {
  const { entity } = spec;
  const next = batch.next;
  const { rows } = await sql<{ written: number }>`
    with acc as (
      select * from json_to_recordset(${JSON.stringify(batch.accepted)}::json)
        as x(old_id bigint, keep_id integer, link_id integer, ${sql.raw(spec.columns)})
    ), map as (
      insert into legacy_import_map (entity, old_id, new_id, linked)
      select ${entity}, old_id,
        coalesce(link_id, keep_id, nextval(pg_get_serial_sequence(${TABLES[entity].target}, 'id'))),
        link_id is not null
      from acc
      on conflict do nothing
      returning old_id, new_id, linked
    ), ${sql.raw(spec.insert)},
    cleared as (
      delete from legacy_import_refusals f using map
      where f.entity = ${entity} and f.old_id = map.old_id
    ), refused as (
      insert into legacy_import_refusals as f (entity, old_id, reason, detail)
      select ${entity}, old_id, reason, detail
      from json_to_recordset(${JSON.stringify(batch.refused)}::json) as x(old_id bigint, reason text, detail text)
      on conflict (entity, old_id) do update set reason = excluded.reason, detail = excluded.detail, refused_at = now()
        where (f.reason, f.detail) is distinct from (excluded.reason, excluded.detail)
    ), noted as (
      insert into legacy_import_notes (entity, old_id, note, detail)
      select ${entity}, n.old_id, n.note, n.detail
      from json_to_recordset(${JSON.stringify(batch.notes)}::json) as n(old_id bigint, note text, detail text)
      join map on map.old_id = n.old_id
      on conflict do nothing
    ), next as (
      ${next ? sql`select ${addBatchJob(next)}` : sql`select null where false`}
    )
    select (select count(*) from map)::int as written, (select count(*) from next)::int as enqueued`.execute(db);
  return rows[0]!.written;
}

async function pauseForever(deps: BatchDeps, payload: LegacyImportBatchPayload): Promise<never> {
  deps.onPause?.(`${payload.entity}#${payload.batch}`);
  // Held open until the process is killed: the test's crash happens here, mid-transaction.
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}
