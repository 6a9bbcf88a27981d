import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// - uploads: an image a user sent, already checked, re-encoded and stored (a row exists only for a
//   file that passed every check: a refused file leaves nothing). Its objects are named by the
//   sha256 of their bytes, so `storage_key`/`thumb_key` never change once written.
// - teams.logo_upload_id / banner_upload_id: the team page's images (each foreign key indexed).
const statements = [
  `create table uploads (
     id uuid primary key default gen_random_uuid(),
     owner_id integer not null references users (id),
     content_type text not null check (content_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
     byte_size integer not null check (byte_size > 0 and byte_size <= 5242880),
     width integer not null check (width between 1 and 8000),
     height integer not null check (height between 1 and 8000),
     storage_key text not null check (storage_key ~ '^[0-9a-f]{64}\\.(png|jpg|gif|webp)$'),
     thumb_key text not null check (thumb_key ~ '^[0-9a-f]{64}\\.(png|jpg|gif|webp)$'),
     created_at timestamptz not null default now()
   )`,
  // An owner's uploads, newest first (and the owner_id foreign key).
  `create index uploads_owner_id_created_at_idx on uploads (owner_id, created_at desc)`,
  `alter table teams add column logo_upload_id uuid references uploads (id),
                    add column banner_upload_id uuid references uploads (id)`,
  `create index teams_logo_upload_id_idx on teams (logo_upload_id)`,
  `create index teams_banner_upload_id_idx on teams (banner_upload_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`alter table teams drop column if exists logo_upload_id, drop column if exists banner_upload_id`)
    .execute(db);
  await sql.raw(`drop table if exists uploads`).execute(db);
}
