import type { Generated, Selectable } from "kysely";

/** Migration 20261201T0100_legacy_import: the import of the old Django site. */
export const LEGACY_ENTITIES = [
  "user",
  "game",
  "organization",
  "organization_member",
  "team",
  "team_member",
  "ranking",
  "tournament",
  "registration",
  "wallet",
] as const;
export type LegacyEntity = (typeof LEGACY_ENTITIES)[number];

export interface LegacyImportRunsTable {
  id: Generated<number>;
  source: string;
  batch_size: number;
  worker_id: string | null;
  status: Generated<"running" | "finished" | "failed" | "crashed">;
  started_at: Generated<Date>;
  finished_at: Date | null;
  report: unknown;
}
export type LegacyImportRun = Selectable<LegacyImportRunsTable>;

export interface LegacyImportMapTable {
  entity: LegacyEntity;
  old_id: string;
  new_id: number;
  linked: Generated<boolean>;
  imported_at: Generated<Date>;
}

export interface LegacyImportRefusalsTable {
  entity: LegacyEntity;
  old_id: string;
  reason: string;
  detail: string;
  refused_at: Generated<Date>;
}

export interface LegacyImportNotesTable {
  entity: LegacyEntity;
  old_id: string;
  note: string;
  detail: string;
  noted_at: Generated<Date>;
}

export interface LegacyImportTables {
  legacy_import_runs: LegacyImportRunsTable;
  legacy_import_map: LegacyImportMapTable;
  legacy_import_refusals: LegacyImportRefusalsTable;
  legacy_import_notes: LegacyImportNotesTable;
}
