import pg from "pg";

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs statements on a short-lived connection, so no pool lingers (a template can't be cloned while connected). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  statements: ReadonlyArray<string | { text: string; values: unknown[] }>,
): Promise<R[]> {
  // A bounded connect: an unreachable DATABASE_URL should fail the run, not hang it (globalSetup has no timeout).
  const client = new pg.Client({
    connectionString: url,
    application_name: "dc-test-harness",
    connectionTimeoutMillis: 15_000,
  });
  client.on("error", () => undefined); // a server shutting down must not crash the runner
  await client.connect();
  try {
    let rows: R[] = [];
    for (const statement of statements) rows = (await client.query<R>(statement)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

export const dropDatabaseSql = (name: string) => `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`;
