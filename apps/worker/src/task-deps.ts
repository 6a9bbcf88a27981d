import type { Database } from "@deltacrown/db";
import type { Cache } from "@deltacrown/domain";
import type { Kysely } from "kysely";
import type { Mailer } from "./mailer.ts";

/** What a task may use: our Kysely (every statement lands in the job's ledger), and e-mail. */
export interface TaskDeps {
  db: Kysely<Database>;
  mailer?: Mailer | undefined;
  /** The shared cache, where the process has one (leaderboard and warming jobs write to it). */
  cache?: Cache | undefined;
}
