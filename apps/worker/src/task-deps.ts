import type { Database } from "@deltacrown/db";
import type { Kysely } from "kysely";

/** What a task may use: our Kysely (every statement lands in the job's ledger). */
export interface TaskDeps {
  db: Kysely<Database>;
}
