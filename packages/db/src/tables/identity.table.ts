import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string;
  display_name: string;
  password_hash: string;
  is_staff: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  /** sha256 of the bearer token: a stolen database never yields a usable token. */
  token_hash: Buffer;
  created_at: Generated<Date>;
  last_used_at: Generated<Date>;
  expires_at: Date;
}
export type Session = Selectable<SessionsTable>;
export type NewSession = Insertable<SessionsTable>;
