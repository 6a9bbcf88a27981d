import { sql, type Kysely } from "kysely";

// Frozen in time: this file never imports application code.
// - team_sponsors.logo_upload_id: was a bare uuid (the social tables came before uploads); now a
//   foreign key to the upload, indexed. Ids that name no upload are cleared first: the sponsor
//   stays, without a logo. (Post images are a uuid[]: no foreign key can cover an array; the
//   writer checks each id against uploads in its own transaction.)
const statements = [
  `update team_sponsors s set logo_upload_id = null
    where logo_upload_id is not null and not exists (select 1 from uploads u where u.id = s.logo_upload_id)`,
  `alter table team_sponsors add constraint team_sponsors_logo_upload_id_fkey
     foreign key (logo_upload_id) references uploads (id)`,
  `create index team_sponsors_logo_upload_id_idx on team_sponsors (logo_upload_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`drop index if exists team_sponsors_logo_upload_id_idx`).execute(db);
  await sql.raw(`alter table team_sponsors drop constraint if exists team_sponsors_logo_upload_id_fkey`).execute(db);
}
