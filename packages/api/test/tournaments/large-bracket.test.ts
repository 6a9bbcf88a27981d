/**
 * Large brackets. Regression: generating one wrote every match as one multi-row VALUES insert, so
 * a bracket of more than 4,095 matches (16 columns each) passed Postgres's 65,535-parameter limit
 * and start failed; matches are now inserted from unnested arrays, one statement whatever the size.
 * And a cap: one round-robin group holds at most 32 entrants (a single group of 1,024 would have
 * generated 523,776 matches in one transaction) — a typed BAD_REQUEST beyond.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useApi } from "../support.ts";
import { draftInput } from "./fixtures.ts";

describe("large brackets", () => {
  const api = useApi();

  it("starts a 288-entrant round robin in 9 groups of 32 (4,464 matches) in one insert", async () => {
    const organizer = await api.user("rr_organizer");
    const t = await organizer.caller.tournaments.create(
      draftInput({
        format: "round_robin",
        participantType: "solo",
        teamSize: 1,
        capacity: 288,
        settings: { groupCount: 9 },
      }),
    );
    await organizer.caller.tournaments.publish({ slug: t.slug });
    await organizer.caller.tournaments.openRegistration({ slug: t.slug });
    // 288 confirmed solo entries, written directly: registering each through the API takes minutes.
    await sql`insert into users (username, email, display_name, password_hash)
      select 'rr_' || g, 'rr_' || g || '@x.dc', 'RR ' || g, 'x' from generate_series(1, 288) g`.execute(api.db);
    await sql`insert into registrations (tournament_id, user_id, status)
      select ${t.id}, u.id, 'confirmed' from users u where u.username like 'rr\\_%' and u.username <> 'rr_organizer'`.execute(
      api.db,
    );
    await sql`update tournaments set entries_count = 288 where id = ${t.id}`.execute(api.db);
    await organizer.caller.tournaments.closeRegistration({ slug: t.slug });
    await organizer.caller.tournaments.start({ slug: t.slug });
    const { rows } = await sql<{ matches: number; groups: number; largest: number }>`
      select count(*)::int as matches, count(distinct group_no)::int as groups,
        (select max(n)::int from (select count(*) as n from matches where tournament_id = ${t.id} group by group_no) g) as largest
      from matches where tournament_id = ${t.id}`.execute(api.db);
    expect(rows[0]).toEqual({ matches: 9 * ((32 * 31) / 2), groups: 9, largest: (32 * 31) / 2 });
  }, 120_000);

  it("refuses a round robin whose groups would exceed 32 entrants, on create and update", async () => {
    const organizer = await api.user("rr_capped");
    const oneBigGroup = draftInput({ format: "round_robin", capacity: 1024, settings: { groupCount: 1 } });
    await api.refused(() => organizer.caller.tournaments.create(oneBigGroup), {
      code: "BAD_REQUEST",
      reason: "GROUP_TOO_LARGE",
      field: "settings.groupCount",
    });
    const t = await organizer.caller.tournaments.create(
      draftInput({ format: "round_robin", capacity: 64, settings: { groupCount: 2 } }),
    );
    expect(t.settings.groupCount).toBe(2);
    await api.refused(
      () =>
        organizer.caller.tournaments.update({
          ...draftInput({ format: "round_robin", capacity: 64, settings: { groupCount: 1 } }),
          slug: t.slug,
        }),
      { code: "BAD_REQUEST", reason: "GROUP_TOO_LARGE", field: "settings.groupCount" },
    );
  });
});
