import type { LegacyEntity } from "@deltacrown/db";
import type { RawBuilder } from "kysely";
import type { NoteKind, RefusalReason } from "./reasons.ts";

/** Every source row carries its old id as a decimal string (Django's ids are bigint). */
export interface SourceRow {
  id: string;
}

/** A foreign key of a legacy row, resolved through the mapping table. */
export interface Ref {
  entity: LegacyEntity;
  oldId: string | null;
  /** How the detail names it ("owner user 9"). */
  as: string;
  /** The refusal this row gets when the referenced row was refused. */
  reason: RefusalReason;
}

export interface Problem {
  reason: RefusalReason;
  detail: string;
}

export interface Note {
  note: NoteKind;
  detail: string;
}

/** What the batch knows about the target for its rows, from one lookup statement. */
export interface Resolved {
  /** New id of a referenced row that was brought across. */
  newId: (entity: LegacyEntity, oldId: string | null) => number | undefined;
  /** Entity-specific findings (taken slugs, existing games …), as the spec's lookup returned them. */
  extra: Record<string, unknown>;
}

export interface Classified {
  problems: Problem[];
  notes?: Note[];
  /** Columns for the insert (`columns` below), in DeltaCrown's terms. */
  values: Record<string, unknown>;
  /** Map onto this existing row instead of inserting (a game with the same slug). */
  linkId?: number | undefined;
}

export interface EntitySpec<R extends SourceRow> {
  entity: LegacyEntity;
  /** One statement on the old database: the batch's rows in id order, with what it takes to judge them. */
  read(afterId: string, limit: number): RawBuilder<R>;
  refs(row: R): Ref[];
  /** Extra json columns of the lookup statement (aliases become keys of `Resolved.extra`). */
  lookup?(rows: R[]): RawBuilder<unknown>[];
  classify(row: R, resolved: Resolved): Classified;
  /** `json_to_recordset` column list of `values` (old_id, keep_id, link_id are added). */
  columns: string;
  /** The entity's CTEs of the write statement, reading `acc` (the accepted rows) and `map` (newly mapped ones). */
  insert: string;
}

/** Infers each spec's own row type; the spec table holds them as rows in general. */
export function defineSpec<R extends SourceRow>(spec: EntitySpec<R>): EntitySpec<SourceRow> {
  return spec;
}
