/**
 * Seed 002's slowest read, "tournament registration with team", on a realistic volume: the plan
 * of the statement the product runs for it — `registrations.list`, captured from the call's query
 * ledger with its parameters, not a hand-written look-alike — must use indexes (registrations by
 * (tournament_id, status), teams by primary key), never the sequential scans the old system showed.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useApi } from "../support.ts";

describe("EXPLAIN of the registration-with-team read", () => {
  const api = useApi();

  it("uses index scans on registrations and teams on 1,000 tournaments × 30 entries", async () => {
    const db = api.db;
    await sql`insert into users (username, email, display_name, password_hash)
      select 'bulk' || g, 'bulk' || g || '@x.dc', 'Bulk', 'x' from generate_series(1, 200) g`.execute(db);
    await sql`insert into teams (slug, name, game_id, owner_id, member_count)
      select 'bulk-team-' || g, 'Bulk Team ' || g, (select id from games where slug = 'valorant'),
             (select min(id) from users), 5 from generate_series(1, 5000) g`.execute(db);
    await sql`insert into tournaments (slug, name, game_id, organizer_id, format, participant_type, capacity, team_size,
        registration_opens_at, registration_closes_at, starts_at, status)
      select 'bulk-cup-' || g, 'Bulk Cup ' || g, (select id from games where slug = 'valorant'), (select min(id) from users),
             'single_elimination', 'team', 64, 5, now() - interval '1 day', now() + interval '1 day', now() + interval '2 days',
             'registration_open'
      from generate_series(1, 1000) g`.execute(db);
    await sql`insert into registrations (tournament_id, user_id, team_id, status, created_at)
      select t.id, (select min(id) from users), (select min(id) from teams) + ((t.id * 31 + g) % 5000), 
             case when g % 10 = 0 then 'waitlisted' when g % 3 = 0 then 'confirmed' else 'pending' end,
             now() - make_interval(secs => g)
      from tournaments t, generate_series(1, 30) g where t.slug like 'bulk-cup-%'`.execute(db);
    await sql`analyze users, teams, tournaments, registrations`.execute(db);
    const { report } = await api.measure(() =>
      api.caller().registrations.list({ tournamentSlug: "bulk-cup-500", limit: 50 }),
    );
    const statements = report.ledger.queries;
    expect(statements).toHaveLength(1);
    const { sql: text, params } = statements[0]!;
    expect(text).toMatch(/from "registrations" as "r"/);
    const { rows } = await api.services.pool.query<{ "QUERY PLAN": string }>(`explain ${text}`, [...params]);
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).not.toMatch(/Seq Scan on (registrations|teams|tournaments)/);
    expect(plan).toMatch(
      /Index (Only )?Scan using registrations_tournament_status_idx|Bitmap Index Scan on registrations_tournament_status_idx/,
    );
    expect(plan).toMatch(/Index Scan using teams_pkey/);
  });
});
