import type { Database } from "@deltacrown/db";
import { sql, type Kysely } from "kysely";
import type { Cache } from "../cache/cache.ts";

/**
 * The sponsors job (crontab): approved sponsors whose start came become active, active or
 * approved ones whose end passed become ended, in ONE set-based statement; the pages of the
 * teams whose list of active sponsors changed are invalidated after. Safe to run twice.
 */
export async function sweepSponsors(deps: {
  db: Kysely<Database>;
  cache?: Cache | undefined;
}): Promise<{ changed: number }> {
  const { rows } = await sql<{ slug: string }>`
    with changed as (
      update team_sponsors s
      set status = case when s.ends_at <= now() then 'ended' else 'active' end
      where (s.status in ('approved', 'active') and s.ends_at <= now())
         or (s.status = 'approved' and s.starts_at <= now())
      returning s.team_id
    )
    select distinct t.slug from changed c join teams t on t.id = c.team_id`.execute(deps.db);
  await deps.cache?.invalidateMany(
    rows.map((r) => ["teamDetail", r.slug] as const),
    { searchRow: "unchanged" },
  );
  return { changed: rows.length };
}
