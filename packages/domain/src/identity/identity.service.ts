import { audit } from "../shared/audit.ts";
import type { Actor, DomainDeps } from "../shared/deps.ts";
import { AppError, conflict, isUniqueViolation } from "../shared/errors.ts";
import { withTransaction } from "../shared/transaction.ts";
import { hashPassword, needsRehash, verifyPassword } from "./password.ts";
import { createSession, deleteSession } from "./sessions.ts";

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  isStaff: boolean;
  createdAt: string;
}

export interface AuthResult {
  token: string;
  expiresAt: string;
  user: PublicUser;
}

export async function signUp(
  deps: DomainDeps,
  input: { username: string; email: string; password: string; displayName?: string | undefined },
): Promise<AuthResult> {
  const passwordHash = await hashPassword(input.password, deps.config.scryptCost);
  try {
    return await withTransaction(deps.db, async (trx) => {
      const user = await trx
        .insertInto("users")
        .values({
          username: input.username,
          email: input.email,
          display_name: input.displayName ?? input.username,
          password_hash: passwordHash,
        })
        .returning(["id", "username", "display_name", "is_staff", "created_at"])
        .executeTakeFirstOrThrow();
      const session = await createSession(trx, user.id, deps.config.sessionTtlDays);
      await audit(trx, {
        actorId: user.id,
        action: "user.signed_up",
        entityType: "user",
        entityId: String(user.id),
        data: {},
      });
      return { ...session, user: toPublicUser(user) };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_username_key"))
      throw conflict("That username is taken", "USERNAME_TAKEN", "username");
    if (isUniqueViolation(error, "users_email_key"))
      throw conflict("That e-mail is already registered", "EMAIL_TAKEN", "email");
    throw error;
  }
}

// Verified against when the login is unknown, so a wrong username costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;

export async function signIn(deps: DomainDeps, input: { login: string; password: string }): Promise<AuthResult> {
  const user = await deps.db
    .selectFrom("users")
    .select(["id", "username", "display_name", "is_staff", "created_at", "password_hash"])
    .where((eb) => eb.or([eb("username", "=", input.login), eb("email", "=", input.login)]))
    .executeTakeFirst();
  decoyHash ??= hashPassword("decoy-password", deps.config.scryptCost);
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash));
  if (!user || !ok) throw new AppError("UNAUTHORIZED", "Wrong username or password", "BAD_CREDENTIALS");
  // An imported Django hash, just verified, becomes a scrypt hash inside the session's statement:
  // the same two statements as any sign-in.
  const rehash = needsRehash(user.password_hash)
    ? { from: user.password_hash, to: await hashPassword(input.password, deps.config.scryptCost) }
    : undefined;
  const session = await createSession(deps.db, user.id, deps.config.sessionTtlDays, rehash);
  return { ...session, user: toPublicUser(user) };
}

export async function signOut(deps: DomainDeps, actor: Actor): Promise<{ ok: true }> {
  await deleteSession(deps.db, actor.sessionId);
  return { ok: true };
}

/** The session lookup already read the user live; `me` needs no query of its own. */
export function me(actor: Actor): PublicUser {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    isStaff: actor.isStaff,
    createdAt: actor.createdAt,
  };
}

function toPublicUser(u: {
  id: number;
  username: string;
  display_name: string;
  is_staff: boolean;
  created_at: Date;
}): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    isStaff: u.is_staff,
    createdAt: u.created_at.toISOString(),
  };
}
