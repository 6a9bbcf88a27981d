/**
 * Regression: generating a large bracket wrote every match as one multi-row VALUES insert, so a
 * one-group round robin of 128 entrants (8,128 matches, 16 columns each) passed Postgres's
 * 65,535-parameter limit and start failed. Matches are now inserted from unnested arrays: one
 * statement, one parameter per column, whatever the size.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useApi } from "../support.ts";
import { startedTournament } from "./fixtures.ts";

describe("large brackets", () => {
  const api = useApi();

  it("starts a 128-entrant single-group round robin (8,128 matches) in one insert", async () => {
    const { tournament } = await startedTournament(api, 128, {
      format: "round_robin",
      settings: { groupCount: 1 },
    });
    const { rows } = await sql<{ matches: number; ready: number }>`
      select count(*)::int as matches, count(*) filter (where state = 'ready')::int as ready
      from matches m join tournaments t on t.id = m.tournament_id where t.slug = ${tournament.slug}`.execute(api.db);
    expect(rows[0]).toEqual({ matches: (128 * 127) / 2, ready: (128 * 127) / 2 });
  }, 60_000);
});
