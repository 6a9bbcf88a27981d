import { demoGames, Cache } from "@deltacrown/domain";
import { tableChecksums, useTestServices } from "@deltacrown/test-harness";
import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { beforeAll, expect } from "vitest";
import { ZodError } from "zod";
import { zodFieldErrors } from "../src/errors.ts";
import { createApi } from "./api-harness.ts";

export { PASSWORD, testConfig, type Api, type Caller } from "./api-harness.ts";

/**
 * A real database (cloned template, games seeded) and Redis for one test file, with callers
 * that run every procedure under the contract in "throw" mode and report each call's ledger.
 */
export function useApi() {
  const services = useTestServices();
  const state: { cache?: Cache } = {};

  beforeAll(async () => {
    state.cache = new Cache({ redis: services.redis });
    await services.db.insertInto("games").values(demoGames).execute();
  });

  const api = Object.assign(
    createApi({
      get db() {
        return services.db;
      },
      get cache(): Cache {
        if (!state.cache) throw new Error("useApi() is ready only inside tests");
        return state.cache;
      },
    }),
    {
      services,
      /** Row counts of every table a write may touch, to prove a refused call wrote nothing. */
      async snapshotCounts() {
        const { rows } = await sql<Record<string, number>>`select
        (select count(*) from users) as users,
        (select count(*) from sessions) as sessions,
        (select count(*) from teams) as teams,
        (select count(*) from team_memberships) as memberships,
        (select count(*) from team_memberships where status = 'active') as active_memberships,
        (select count(*) from team_invites) as invites,
        (select count(*) from team_invites where status = 'pending') as pending_invites,
        (select count(*) from team_rankings) as rankings,
        (select count(*) from notifications) as notifications,
        (select sum(member_count) from teams) as member_counts,
        (select count(*) from organizations) as orgs,
        (select count(*) from organization_memberships) as org_members,
        (select count(*) from teams where organization_id is not null) as org_teams,
        (select count(*) from graphile_worker.jobs) as jobs`.execute(services.db);
        return rows[0];
      },
      /** A content checksum of every table (see tableChecksums), to prove a refused call wrote nothing. */
      tableChecksums: () => tableChecksums(services.db),
      /**
       * Asserts the call is refused with the expected code (and reason, and field path), and that no
       * row anywhere changed — not a count, not a value: every refusal is a typed error that writes nothing.
       */
      refused: async (call: () => Promise<unknown>, expected: ExpectedRefusal) => {
        const before = await tableChecksums(services.db);
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, "the call should have been refused").toBeInstanceOf(TRPCError);
        const trpcError = error as TRPCError;
        expect(trpcError.code).toBe(expected.code);
        const cause = trpcError.cause as { reason?: string; field?: string } | undefined;
        if (expected.reason) expect(cause?.reason).toBe(expected.reason);
        if (expected.field) {
          const fields = cause instanceof ZodError ? Object.keys(zodFieldErrors(cause)) : [cause?.field];
          expect(fields).toContain(expected.field);
        }
        expect(await tableChecksums(services.db)).toEqual(before);
        return trpcError;
      },
    },
  );
  return api;
}

export interface ExpectedRefusal {
  code: TRPCError["code"];
  reason?: string;
  field?: string;
}
