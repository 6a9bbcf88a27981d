import type { Database } from "@deltacrown/db";
import type { Cache, OutboundPolicy } from "@deltacrown/domain";
import type { LegacySource } from "@deltacrown/legacy-import";
import type { Kysely } from "kysely";
import type { Mailer } from "./mailer.ts";

/** What a task may use: our Kysely (every statement lands in the job's ledger), and e-mail. */
export interface TaskDeps {
  db: Kysely<Database>;
  mailer?: Mailer | undefined;
  /** The shared cache, where the process has one (leaderboard and warming jobs write to it). */
  cache?: Cache | undefined;
  /** The old site's database (LEGACY_DATABASE_URL): only then does this worker take import batches. */
  legacy?: LegacySource | undefined;
  /** Where webhooks may be delivered (default: https to public addresses only). */
  webhooks?: OutboundPolicy | undefined;
}
