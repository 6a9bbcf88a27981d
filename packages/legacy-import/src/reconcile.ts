import type { Database, LegacyEntity } from "@deltacrown/db";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { IMPORT_ORDER, TABLES } from "./entities.ts";
import { NOTES, REFUSALS, type NoteKind, type RefusalReason } from "./reasons.ts";

export interface EntityReport {
  entity: LegacyEntity;
  /** Rows in the old database now. */
  read: number;
  /** Brought across as new rows. */
  imported: number;
  /** Mapped onto a row DeltaCrown already had (games by slug). */
  linked: number;
  refused: number;
  /** read − imported − linked − refused: must be 0. */
  unaccounted: number;
  reasons: { reason: RefusalReason; text: string; count: number; examples: string[] }[];
  notes: { note: NoteKind; text: string; count: number; examples: string[] }[];
}

export interface ChecksumSide {
  rows: number;
  total: string;
  digest: string;
}

export interface Checksum {
  name: string;
  source: ChecksumSide;
  target: ChecksumSide;
  equal: boolean;
  /** The first keys (old ids) whose values differ, when they do. */
  mismatches: { key: string; source: string | null; target: string | null }[];
}

export interface Reconciliation {
  ok: boolean;
  entities: EntityReport[];
  checksums: Checksum[];
}

/**
 * The whole import's accounts, from the tables alone (so a resumed run reports everything): per
 * entity, the legacy rows now in the old database against the mapped and refused ones; then
 * per-key checksums of what must be equal between the accepted legacy rows and DeltaCrown.
 */
export async function reconcile(target: Kysely<Database>, source: Kysely<Database>): Promise<Reconciliation> {
  const entities = await entityReports(target, source);
  const refused = await refusedIds(target);
  const checksums: Checksum[] = [];
  for (const check of CHECKS) checksums.push(await compare(check, refused, target, source));
  return {
    ok: entities.every((e) => e.unaccounted === 0) && checksums.every((c) => c.equal),
    entities,
    checksums,
  };
}

async function entityReports(target: Kysely<Database>, source: Kysely<Database>): Promise<EntityReport[]> {
  const reads = sql.join(
    IMPORT_ORDER.map((e) => sql`select ${e}::text as entity, count(*)::int as n from ${sql.table(TABLES[e].source)}`),
    sql` union all `,
  );
  const { rows: read } = await sql<{ entity: LegacyEntity; n: number }>`${reads}`.execute(source);
  const { rows: mapped } = await sql<{ entity: LegacyEntity; imported: number; linked: number }>`
    select entity, count(*) filter (where not linked)::int as imported, count(*) filter (where linked)::int as linked
    from legacy_import_map group by entity`.execute(target);
  const { rows: reasons } = await sql<{ entity: LegacyEntity; key: string; count: number; examples: string[] }>`
    select entity, reason as key, count(*)::int as count, (array_agg(old_id::text order by old_id))[1:5] as examples
    from legacy_import_refusals group by entity, reason order by entity, count(*) desc, reason`.execute(target);
  const { rows: notes } = await sql<{ entity: LegacyEntity; key: string; count: number; examples: string[] }>`
    select entity, note as key, count(*)::int as count, (array_agg(old_id::text order by old_id))[1:5] as examples
    from legacy_import_notes group by entity, note order by entity, count(*) desc, note`.execute(target);

  return IMPORT_ORDER.map((entity) => {
    const m = mapped.find((r) => r.entity === entity);
    const r = reasons.filter((x) => x.entity === entity);
    const refusedCount = r.reduce((sum, x) => sum + x.count, 0);
    const readCount = read.find((x) => x.entity === entity)?.n ?? 0;
    const imported = m?.imported ?? 0;
    const linked = m?.linked ?? 0;
    return {
      entity,
      read: readCount,
      imported,
      linked,
      refused: refusedCount,
      unaccounted: readCount - imported - linked - refusedCount,
      reasons: r.map((x) => ({
        reason: x.key as RefusalReason,
        text: REFUSALS[x.key as RefusalReason] ?? x.key,
        count: x.count,
        examples: x.examples,
      })),
      notes: notes
        .filter((x) => x.entity === entity)
        .map((x) => ({
          note: x.key as NoteKind,
          text: NOTES[x.key as NoteKind] ?? x.key,
          count: x.count,
          examples: x.examples,
        })),
    };
  });
}

type Refused = Record<LegacyEntity, string[]>;

async function refusedIds(target: Kysely<Database>): Promise<Refused> {
  const { rows } = await sql<{ entity: LegacyEntity; ids: string[] }>`
    select entity, array_agg(old_id::text) as ids from legacy_import_refusals group by entity`.execute(target);
  const out = Object.fromEntries(IMPORT_ORDER.map((e) => [e, [] as string[]])) as Refused;
  for (const r of rows) out[r.entity] = r.ids;
  return out;
}

/** `not in` a set of refused old ids (a hashed subplan, however many). */
const accepted = (column: string, ids: string[]) => sql`${sql.ref(column)} not in (select unnest(${ids}::bigint[]))`;

interface Check {
  name: string;
  /** Rows (k: legacy key, v: value) over the accepted legacy rows. */
  source(refused: Refused): RawBuilder<unknown>;
  /** The same rows from DeltaCrown, keyed by legacy id through the mapping. */
  target: RawBuilder<unknown>;
}

const CHECKS: Check[] = [
  {
    name: "wallet balance per wallet",
    source: (r) => sql`select w.id as k, w.balance as v from economy_wallet w where ${accepted("w.id", r.wallet)}`,
    target: sql`select m.old_id as k, w.balance as v
      from legacy_import_map m join wallets w on w.id = m.new_id where m.entity = 'wallet'`,
  },
  {
    name: "wallet ledger per wallet (sum of its entries)",
    source: (r) => sql`select w.id as k, w.balance as v from economy_wallet w where ${accepted("w.id", r.wallet)}`,
    target: sql`select m.old_id as k, coalesce(sum(e.amount), 0) as v
      from legacy_import_map m left join wallet_entries e on e.wallet_id = m.new_id
      where m.entity = 'wallet' group by m.old_id`,
  },
  {
    name: "members per team (teams.member_count)",
    source: (r) => sql`select t.id as k, count(m.id) as v
      from teams_team t left join teams_teammembership m on m.team_id = t.id and ${accepted("m.id", r.team_member)}
      where ${accepted("t.id", r.team)} group by t.id`,
    target: sql`select m.old_id as k, t.member_count as v
      from legacy_import_map m join teams t on t.id = m.new_id where m.entity = 'team'`,
  },
  {
    name: "members per team (roster rows)",
    source: (r) => sql`select t.id as k, count(m.id) as v
      from teams_team t left join teams_teammembership m on m.team_id = t.id and ${accepted("m.id", r.team_member)}
      where ${accepted("t.id", r.team)} group by t.id`,
    target: sql`select m.old_id as k, count(tm.id) as v
      from legacy_import_map m left join team_memberships tm on tm.team_id = m.new_id and tm.status = 'active'
      where m.entity = 'team' group by m.old_id`,
  },
  {
    name: "CP per team (team_rankings.current_cp)",
    source: (r) => sql`select team_id as k, current_cp as v from teams_teamranking where ${accepted("id", r.ranking)}`,
    target: sql`select mt.old_id as k, tr.current_cp as v
      from legacy_import_map mr join team_rankings tr on tr.id = mr.new_id
      join legacy_import_map mt on mt.entity = 'team' and mt.new_id = tr.team_id
      where mr.entity = 'ranking'`,
  },
  {
    name: "CP per team (sum of its CP ledger)",
    source: (r) => sql`select team_id as k, current_cp as v from teams_teamranking where ${accepted("id", r.ranking)}`,
    target: sql`select mt.old_id as k, coalesce((select sum(l.delta) from cp_ledger l where l.team_id = tr.team_id), 0) as v
      from legacy_import_map mr join team_rankings tr on tr.id = mr.new_id
      join legacy_import_map mt on mt.entity = 'team' and mt.new_id = tr.team_id
      where mr.entity = 'ranking'`,
  },
  {
    name: "live entries per tournament (tournaments.entries_count)",
    source: (r) => sql`select t.id as k, count(g.id) filter (where g.status in ('PENDING', 'CONFIRMED')) as v
      from tournaments_tournament t
      left join tournaments_registration g on g.tournament_id = t.id and ${accepted("g.id", r.registration)}
      where ${accepted("t.id", r.tournament)} group by t.id`,
    target: sql`select m.old_id as k, t.entries_count as v
      from legacy_import_map m join tournaments t on t.id = m.new_id where m.entity = 'tournament'`,
  },
];

const digestOf = (rows: RawBuilder<unknown>) => sql<ChecksumSide>`
  select count(*)::int as rows, coalesce(sum(v), 0)::text as total,
    md5(coalesce(string_agg(k::text || ':' || v::text, ',' order by k), '')) as digest
  from (${rows}) x`;

async function compare(
  check: Check,
  refused: Refused,
  target: Kysely<Database>,
  source: Kysely<Database>,
): Promise<Checksum> {
  const src = (await digestOf(check.source(refused)).execute(source)).rows[0]!;
  const dst = (await digestOf(check.target).execute(target)).rows[0]!;
  const equal = src.digest === dst.digest;
  return {
    name: check.name,
    source: src,
    target: dst,
    equal,
    mismatches: equal ? [] : await diff(check, refused, target, source),
  };
}

/** Only when the digests differ: the first keys whose values differ. */
async function diff(check: Check, refused: Refused, target: Kysely<Database>, source: Kysely<Database>) {
  const list = (rows: RawBuilder<unknown>) => sql<{ k: string; v: string }>`select k::text, v::text from (${rows}) x`;
  const src = new Map((await list(check.source(refused)).execute(source)).rows.map((r) => [r.k, r.v]));
  const dst = new Map((await list(check.target).execute(target)).rows.map((r) => [r.k, r.v]));
  const keys = [...new Set([...src.keys(), ...dst.keys()])].sort((a, b) => Number(BigInt(a) - BigInt(b)));
  return keys
    .filter((k) => src.get(k) !== dst.get(k))
    .slice(0, 10)
    .map((k) => ({ key: k, source: src.get(k) ?? null, target: dst.get(k) ?? null }));
}
