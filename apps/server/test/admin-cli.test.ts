/**
 * The operator command that grants and revokes staff: run as a real process (tsx) against this
 * file's own database, it flips users.is_staff and writes the audit_log row in the same
 * transaction; unknown users and bad usage fail with clear messages and exit codes.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";

const cli = fileURLToPath(new URL("../src/admin-cli.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

// Each test runs the command 3–4 times as a real process (~5–10 s each on a busy 2-core machine).
describe("pnpm admin staff", () => {
  const services = useTestServices({ poolMax: 2 });

  function admin(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        tsx,
        ["--conditions=source", cli, ...args],
        { env: { ...process.env, DATABASE_URL: services.url, DC_OPERATOR: "ops-test" }, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  async function user(username: string) {
    return services.db
      .insertInto("users")
      .values({ username, email: `${username}@test.dc`, display_name: username, password_hash: "x" })
      .returning("id")
      .executeTakeFirstOrThrow();
  }

  const staffFlag = async (id: number) =>
    (await services.db.selectFrom("users").select("is_staff").where("id", "=", id).executeTakeFirstOrThrow()).is_staff;
  const auditRows = (id: number) =>
    services.db
      .selectFrom("audit_log")
      .select(["action", "actor_id", "entity_type", "data"])
      .where("entity_type", "=", "user")
      .where("entity_id", "=", String(id))
      .orderBy("id")
      .execute();

  it("grants and revokes staff, each change audit-logged, repeats changing nothing", async () => {
    const { id } = await user("ops_target");
    const granted = await admin("staff", "grant", "ops_target");
    expect(granted).toMatchObject({ code: 0, stdout: expect.stringContaining("granted staff to ops_target") });
    expect(await staffFlag(id)).toBe(true);
    expect(await auditRows(id)).toEqual([
      {
        action: "user.staff_granted",
        actor_id: null,
        entity_type: "user",
        data: { username: "ops_target", operator: "ops-test", via: "admin-cli" },
      },
    ]);
    expect(await admin("staff", "grant", "ops_target")).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("already"),
    });
    expect(await auditRows(id)).toHaveLength(1);

    expect((await admin("staff", "revoke", "ops_target")).code).toBe(0);
    expect(await staffFlag(id)).toBe(false);
    expect((await auditRows(id)).map((r) => r.action)).toEqual(["user.staff_granted", "user.staff_revoked"]);
  }, 120_000);

  it("fails clearly: unknown user (1), bad usage (2)", async () => {
    expect(await admin("staff", "grant", "nobody_such")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no user named "nobody_such"'),
    });
    expect(await admin("staff", "promote", "x")).toMatchObject({ code: 2, stderr: expect.stringContaining("usage") });
  }, 120_000);
});
