import { isDjangoPbkdf2 } from "@deltacrown/domain";
import { sql } from "kysely";
import { defineSpec, type Note, type Problem } from "../spec.ts";
import { caseTwins } from "./common.ts";

interface UserRow {
  id: string;
  username: string;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  date_joined: Date;
  username_dup_of: string | null;
  email_dup_of: string | null;
}

/** Mirrors the users_username_format check. */
const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
/** Django's prefix of a password that can never match; DeltaCrown's verifier refuses it too. */
const UNUSABLE = "!";

export const users = defineSpec<UserRow>({
  entity: "user",
  read: (afterId, limit) => sql<UserRow>`
    with b as (select * from auth_user where id > ${afterId}::bigint order by id limit ${limit})
    select b.id::text as id, b.username, b.email, b.password, b.first_name, b.last_name, b.is_active,
      b.is_staff, b.is_superuser, b.date_joined,
      nullif(un.first_id, b.id)::text as username_dup_of,
      case when b.email <> '' then nullif(em.first_id, b.id)::text end as email_dup_of
    from b ${caseTwins("auth_user", "username", "un")} ${caseTwins("auth_user", "email", "em")}`,
  refs: () => [],
  lookup: (rows) => [
    sql`(select coalesce(json_agg(lower(username::text)), '[]'::json) from users
      where username = any(${rows.map((r) => r.username)}::citext[])) as usernames_taken`,
    sql`(select coalesce(json_agg(lower(email::text)), '[]'::json) from users
      where email = any(${rows.map((r) => r.email)}::citext[])) as emails_taken`,
  ],
  classify(row, { extra }) {
    const problems: Problem[] = [];
    if (!USERNAME.test(row.username))
      problems.push({ reason: "username_invalid", detail: `username ${JSON.stringify(row.username)}` });
    if (row.username_dup_of !== null)
      problems.push({
        reason: "username_case_duplicate",
        detail: `username ${row.username} differs only in case from user ${row.username_dup_of}'s`,
      });
    if (!EMAIL.test(row.email))
      problems.push({ reason: "email_invalid", detail: `e-mail ${JSON.stringify(row.email)}` });
    else if (row.email_dup_of !== null)
      problems.push({
        reason: "email_case_duplicate",
        detail: `e-mail ${row.email} differs only in case from user ${row.email_dup_of}'s`,
      });
    if ((extra.usernames_taken as string[]).includes(row.username.toLowerCase()))
      problems.push({ reason: "username_taken", detail: `username ${row.username}` });
    if ((extra.emails_taken as string[]).includes(row.email.toLowerCase()))
      problems.push({ reason: "email_taken", detail: `e-mail ${row.email}` });

    const notes: Note[] = [];
    if (!row.is_active) notes.push({ note: "deactivated", detail: `user ${row.username}` });
    if (row.is_staff || row.is_superuser)
      notes.push({ note: "staff_not_granted", detail: row.is_superuser ? "superuser" : "staff" });
    if (!isDjangoPbkdf2(row.password))
      notes.push({ note: "password_unusable", detail: `hash scheme ${JSON.stringify(row.password.split("$")[0])}` });
    return {
      problems,
      notes,
      values: {
        username: row.username,
        email: row.email,
        display_name: `${row.first_name} ${row.last_name}`.trim() || row.username,
        // A deactivated account stays unable to sign in, as on the old site.
        password_hash: row.is_active ? row.password : `${UNUSABLE}${row.password}`,
        created_at: row.date_joined,
      },
    };
  },
  columns: "username text, email text, display_name text, password_hash text, created_at timestamptz",
  insert: `ins as (
    insert into users (id, username, email, display_name, password_hash, is_staff, created_at, updated_at)
    overriding system value
    select map.new_id, acc.username, acc.email, acc.display_name, acc.password_hash, false, acc.created_at, acc.created_at
    from map join acc using (old_id)
    returning 1
  )`,
});
