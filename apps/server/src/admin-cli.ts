/*
 * Operator commands: `pnpm admin staff grant <username>` / `pnpm admin staff revoke <username>`.
 * Staff is granted only here, never through the API. The change and its audit_log row are written
 * in ONE transaction, directly (not through the audit/write job): the worker may not be running.
 * Exit codes: 0 done (or already so), 1 failed (unknown user, database error), 2 bad usage/config.
 */
import { userInfo } from "node:os";
import { exitWithUsage, parseCommand } from "@deltacrown/ops-kit/cli";

const spec = {
  name: "pnpm admin",
  summary: "grant or revoke staff (the only way to), audit-logged in the same transaction",
  usage: ["staff grant <username>", "staff revoke <username>"],
  positionals: { min: 3, max: 3 },
  env: {
    DATABASE_URL: "the DeltaCrown database (required)",
    DC_OPERATOR: "who is acting, for the audit log (default: the OS user)",
  },
  exitCodes: { 0: "done, or already so", 1: "failed (unknown user, database error)" },
};

function fail(message: string, code: number): never {
  process.stderr.write(message.endsWith("\n") ? message : `${message}\n`);
  process.exit(code);
}

function operatorName(): string {
  try {
    return process.env.DC_OPERATOR ?? userInfo().username;
  } catch {
    return "unknown";
  }
}

const [area, verb, username] = parseCommand(spec).positionals as [string, string, string];
if (area !== "staff") exitWithUsage(spec, `unknown area "${area}" (only "staff")`);
if (verb !== "grant" && verb !== "revoke") exitWithUsage(spec, `unknown action "${verb}" (grant or revoke)`);
const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url))
  fail("DATABASE_URL is not set to a postgres:// URL: point it at the DeltaCrown database.", 2);

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb } = await import("@deltacrown/db");
const { sql } = await import("kysely");

const grant = verb === "grant";
const handle = createDb({ connectionString: url, max: 1, applicationName: "dc-admin" });
const { db } = handle;
let exitCode = 0;
try {
  const outcome = await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom("users")
      .select(["id", "username", "is_staff"])
      .where("username", "=", username)
      .forUpdate()
      .executeTakeFirst();
    if (!user) return { kind: "missing" as const };
    if (user.is_staff === grant) return { kind: "unchanged" as const, user };
    await trx
      .updateTable("users")
      .set({ is_staff: grant, updated_at: sql<Date>`now()` })
      .where("id", "=", user.id)
      .execute();
    await trx
      .insertInto("audit_log")
      .values({
        actor_id: null,
        action: grant ? "user.staff_granted" : "user.staff_revoked",
        entity_type: "user",
        entity_id: String(user.id),
        data: JSON.stringify({ username: user.username, operator: operatorName(), via: "admin-cli" }),
      })
      .execute();
    return { kind: "changed" as const, user };
  });
  if (outcome.kind === "missing") {
    process.stderr.write(`no user named "${username}"\n`);
    exitCode = 1;
  } else if (outcome.kind === "unchanged") {
    process.stdout.write(`${outcome.user.username} ${grant ? "is already" : "is not"} staff; nothing changed\n`);
  } else {
    process.stdout.write(
      `${grant ? "granted staff to" : "revoked staff from"} ${outcome.user.username} (user ${outcome.user.id}); audit-logged\n`,
    );
  }
} catch (error) {
  process.stderr.write(`staff ${verb} failed: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
} finally {
  await handle.destroy();
}
process.exit(exitCode);
