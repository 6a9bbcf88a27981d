import type { Category } from "./categories.ts";

export interface Budget {
  category: Category;
  /** Ceiling enforced on every call (tests fail, production warns and counts). */
  maxQueries: number;
  /**
   * Where the call's reads run when `DATABASE_REPLICA_URLS` names replicas: "replica" for hot
   * public reads that tolerate a bounded lag (discovery, leaderboards, search, public pages).
   * A cache fill inside such a read still loads from the primary (`fillDb`): it serves everyone. Absent: the primary — writes, permission checks, sessions, payments, and
   * everything read inside a write's transaction. Sessions are looked up on the primary always.
   * A query only: a mutation declaring it fails at its first call.
   */
  reads?: "replica";
}
