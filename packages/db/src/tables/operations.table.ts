import type { Generated, Selectable } from "kysely";

/** A running worker process's liveness beat (migration 20261124T0200_worker_heartbeat). */
export interface WorkerHeartbeatsTable {
  worker_id: string;
  hostname: string;
  pid: number;
  started_at: Generated<Date>;
  beat_at: Generated<Date>;
  /** graphile-worker's pool id: what it writes to jobs' `locked_by`. */
  pool_id: string | null;
}
export type WorkerHeartbeat = Selectable<WorkerHeartbeatsTable>;

export interface OperationsTables {
  worker_heartbeats: WorkerHeartbeatsTable;
}
