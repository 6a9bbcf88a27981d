/**
 * Accounts imported from the old Django site keep their passwords: sign-in verifies Django's
 * pbkdf2_sha256 hash and, on success only, replaces it with a scrypt hash.
 */
import { describe, expect, it } from "vitest";
import { djangoHash } from "./budgets/variants.ts";
import { uniq } from "./budgets/scenario.ts";
import { PASSWORD, useApi } from "./support.ts";

// Verbatim from the old site's sample dump (/work/shared/legacy): the hash of "deltacrown".
const SAMPLE_HASH = "pbkdf2_sha256$260000$deltacrownseed$v9kRvnlugCW12Grjt0mSBxyxqWwlGXAXLEH1fJrCvWA=";

describe("sign-in with a password imported from the old site", () => {
  const api = useApi();

  async function userWithHash(hash: string) {
    const u = await api.user(uniq("django"));
    await api.db.updateTable("users").set({ password_hash: hash }).where("id", "=", u.user.id).execute();
    return u.user;
  }
  const storedHash = async (id: number) =>
    (await api.db.selectFrom("users").select("password_hash").where("id", "=", id).executeTakeFirstOrThrow())
      .password_hash;

  it("verifies the old site's own hash and rehashes it with scrypt on success", async () => {
    const user = await userWithHash(SAMPLE_HASH);
    const auth = await api.caller().identity.signIn({ login: user.username, password: "deltacrown" });
    expect(auth.user.id).toBe(user.id);
    const rehashed = await storedHash(user.id);
    expect(rehashed).toMatch(/^scrypt\$1024\$8\$1\$/);
    // The new hash is the same password: sign-in keeps working, now without a rehash.
    await expect(api.caller().identity.signIn({ login: user.username, password: "deltacrown" })).resolves.toMatchObject(
      { user: { id: user.id } },
    );
    expect(await storedHash(user.id)).toBe(rehashed);
  });

  it("refuses a wrong password and leaves the imported hash as it was", async () => {
    const user = await userWithHash(SAMPLE_HASH);
    await expect(api.caller().identity.signIn({ login: user.username, password: "deltacrowN" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(await storedHash(user.id)).toBe(SAMPLE_HASH);
  });

  it("refuses a tampered hash (one changed byte) and a malformed one", async () => {
    const good = djangoHash(PASSWORD);
    const tampered = `${good.slice(0, -5)}${good.at(-5) === "A" ? "B" : "A"}${good.slice(-4)}`;
    for (const hash of [tampered, "pbkdf2_sha256$0$salt$v9kRvnlugCW12Grjt0mSBxyxqWwlGXAXLEH1fJrCvWA=", `!${good}`]) {
      const user = await userWithHash(hash);
      await expect(api.caller().identity.signIn({ login: user.username, password: PASSWORD })).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
      expect(await storedHash(user.id)).toBe(hash);
    }
  });
});
