/**
 * Reads the index and foreign-key catalog of one schema in three queries, shaped for the checks:
 * pg_index/pg_class/pg_attribute/pg_constraint flattened into plain objects.
 */
import { sql, type Kysely } from "kysely";

export interface IndexKey {
  /** Column name, or null when this key is an expression. */
  column: string | null;
  /** Column name or expression text, e.g. "lower(name)". */
  definition: string;
  /** Type name of the column (e.g. "citext"), null for expressions. */
  type: string | null;
  /** pg_index.indoption bits: 1 = DESC, 2 = NULLS FIRST. */
  option: number;
  /** Operator class and collation oids: equal columns with different ones serve different queries. */
  opclass: number;
  collation: number;
}

export interface IndexInfo {
  table: string;
  name: string;
  /** Access method: btree, hash, gin, gist, ... */
  method: string;
  keys: IndexKey[];
  /** INCLUDE (non-key) column names. */
  include: string[];
  unique: boolean;
  primary: boolean;
  /** indpred is not null. */
  partial: boolean;
  predicate: string | null;
  /** At least one key is an expression. */
  expression: boolean;
  valid: boolean;
  /** Primary-key / unique / exclusion constraint this index implements, if any. */
  constraint: string | null;
}

export interface ForeignKeyInfo {
  table: string;
  name: string;
  columns: string[];
  referencedTable: string;
}

export interface SchemaCatalog {
  tables: Set<string>;
  /** Column names per table, to tell "no such column" from "no index". */
  columns: Map<string, Set<string>>;
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
}

/**
 * Anything that runs Kysely's raw `sql`: a Kysely instance or a transaction, whatever its table
 * types (Kysely<Database> is not assignable to Kysely<unknown>, hence any).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type CatalogDb = Kysely<any>;

interface TableColumnsRow {
  table: string;
  columns: string[];
}

interface IndexRow {
  table: string;
  name: string;
  method: string;
  keys: IndexKey[];
  include: string[];
  unique: boolean;
  primary: boolean;
  predicate: string | null;
  valid: boolean;
  constraint: string | null;
}

export async function inspectSchema(db: CatalogDb, schema = "public"): Promise<SchemaCatalog> {
  const tables = await sql<TableColumnsRow>`
    select t.relname as "table",
           coalesce(array_agg(a.attname::text order by a.attnum)
                      filter (where a.attnum > 0 and not a.attisdropped), '{}') as "columns"
      from pg_class t
      join pg_namespace n on n.oid = t.relnamespace
      left join pg_attribute a on a.attrelid = t.oid
     where n.nspname = ${schema} and t.relkind in ('r', 'p')
     group by t.relname`.execute(db);

  // indkey lists key columns then INCLUDE columns (indnkeyatts of them are keys); 0 = expression.
  // indoption/indclass/indcollation cover key columns only.
  const indexes = await sql<IndexRow>`
    select t.relname as "table",
           i.relname as "name",
           am.amname as "method",
           cols.keys as "keys",
           cols.include as "include",
           x.indisunique as "unique",
           x.indisprimary as "primary",
           pg_get_expr(x.indpred, x.indrelid) as "predicate",
           x.indisvalid as "valid",
           c.conname as "constraint"
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_am am on am.oid = i.relam
      left join pg_constraint c
        on c.conindid = x.indexrelid and c.conrelid = x.indrelid and c.contype in ('p', 'u', 'x')
      cross join lateral (
        select coalesce(json_agg(json_build_object(
                   'column', a.attname,
                   'definition', pg_get_indexdef(x.indexrelid, k.ord::int, true),
                   'type', ty.typname,
                   'option', x.indoption[k.ord - 1],
                   'opclass', x.indclass[k.ord - 1]::int8,
                   'collation', x.indcollation[k.ord - 1]::int8
                 ) order by k.ord) filter (where k.ord <= x.indnkeyatts), '[]') as keys,
               coalesce(json_agg(a.attname order by k.ord) filter (where k.ord > x.indnkeyatts), '[]') as include
          from unnest(x.indkey::int2[]) with ordinality as k(attnum, ord)
          left join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum and k.attnum > 0
          left join pg_type ty on ty.oid = a.atttypid
      ) cols
     where n.nspname = ${schema}
     order by t.relname, i.relname`.execute(db);

  const foreignKeys = await sql<ForeignKeyInfo>`
    select t.relname as "table",
           c.conname as "name",
           array(select a.attname::text
                   from unnest(c.conkey) with ordinality as k(attnum, ord)
                   join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
                  order by k.ord) as "columns",
           r.relname as "referencedTable"
      from pg_constraint c
      join pg_class t on t.oid = c.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_class r on r.oid = c.confrelid
     where n.nspname = ${schema} and c.contype = 'f'
     order by t.relname, c.conname`.execute(db);

  return {
    tables: new Set(tables.rows.map((row) => row.table)),
    columns: new Map(tables.rows.map((row) => [row.table, new Set(row.columns)])),
    indexes: indexes.rows.map((row) => ({
      ...row,
      partial: row.predicate !== null,
      expression: row.keys.some((key) => key.column === null),
    })),
    foreignKeys: foreignKeys.rows,
  };
}
