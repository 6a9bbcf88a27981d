export type { Database } from "./database.ts";
export * from "./tables/identity.table.ts";
export * from "./tables/games.table.ts";
export * from "./tables/organizations.table.ts";
export * from "./tables/teams.table.ts";
export * from "./tables/activity.table.ts";
export * from "./tables/operations.table.ts";
export * from "./tables/tournaments.table.ts";
export * from "./tables/economy.table.ts";
export * from "./tables/webhooks.table.ts";
export * from "./tables/rankings.table.ts";
export * from "./tables/uploads.table.ts";
export * from "./tables/legacy-import.table.ts";
export { createDb, type Db, type DbOptions } from "./create-db.ts";
export { isDatabaseUnavailable, handleConnectionErrors, type ConnectionErrorHandler } from "./connection-errors.ts";
export { QueryLedger, runWithLedger, currentLedger, type LedgerEntry } from "./ledger.ts";
export { fingerprint, isTransactionControl } from "./fingerprint.ts";
export { migrateToLatest, pendingMigrations, type MigrateOptions } from "./migrator.ts";
export { withScratchDatabase } from "./scratch-database.ts";
export {
  seedPlanDataset,
  datasetCounts,
  BENCH_TOKEN_PREFIX,
  type PlanDatasetSize,
  type PlanDatasetCounts,
} from "./checks/plans-dataset.ts";
export {
  ReplicaSet,
  parseLsn,
  replicaLabel,
  type ReplicaSetOptions,
  type ReplicaStatus,
  type ReplicaHealth,
  type SkipReason,
  type PickedReplica,
} from "./replicas.ts";
