import { createDb, type Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import { Cache } from "../../src/cache/cache.ts";
import { defaultDomainConfig, type Actor, type DomainDeps } from "../../src/shared/deps.ts";

let seq = 0;

/** Domain deps over `db` (the wallet services never touch the cache). */
export const depsOf = (db: Kysely<Database>): DomainDeps => ({ db, cache: new Cache(), config: defaultDomainConfig });

/** Inserts a user directly (no KDF needed here) and returns it as an Actor. */
export async function makeUser(db: Kysely<Database>, opts: { staff?: boolean } = {}): Promise<Actor> {
  const username = `eco${process.pid % 1000}_${++seq}`;
  const { rows } = await sql<{
    id: number;
    created_at: Date;
  }>`insert into users (username, email, display_name, password_hash, is_staff)
    values (${username}, ${`${username}@test.dc`}, ${username}, 'x', ${opts.staff ?? false}) returning id, created_at`.execute(
    db,
  );
  const row = rows[0]!;
  return {
    userId: row.id,
    username,
    displayName: username,
    isStaff: opts.staff ?? false,
    createdAt: row.created_at.toISOString(),
    sessionId: 0,
  };
}

/** A Kysely over its own single pg connection: one "client" of a concurrency test. */
export function ownConnection(url: string) {
  return createDb({ connectionString: url, max: 1, applicationName: "dc-bank-client" });
}
