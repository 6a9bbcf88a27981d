import { demoGames, Cache, defaultDomainConfig, type DomainConfig } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { beforeAll, expect } from "vitest";
import { appRouter, createCallerFactory, createContextInner, type CallReport } from "../src/index.ts";

/** A cheap KDF for tests; production uses SCRYPT_COST (default 2^15). */
export const testConfig: DomainConfig = { ...defaultDomainConfig, scryptCost: 1024 };
export const PASSWORD = "correct-horse-battery";

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/**
 * A real database (cloned template, games seeded) and Redis for one test file, with callers
 * that run every procedure under the contract in "throw" mode and report each call's ledger.
 */
export function useApi() {
  const services = useTestServices();
  const reports: CallReport[] = [];
  const state: { cache?: Cache } = {};

  beforeAll(async () => {
    state.cache = new Cache({ redis: services.redis });
    await services.db.insertInto("games").values(demoGames).execute();
  });

  const api = {
    services,
    get db() {
      return services.db;
    },
    get cache(): Cache {
      if (!state.cache) throw new Error("useApi() is ready only inside tests");
      return state.cache;
    },
    reports,
    caller(token?: string | null): Caller {
      return createCaller(
        createContextInner({
          db: services.db,
          cache: api.cache,
          config: testConfig,
          contractMode: "throw",
          onCall: (r) => reports.push(r),
          token: token ?? null,
        }),
      );
    },
    /** Runs exactly one procedure call and returns its ledger report. */
    async measure<T>(fn: () => Promise<T>): Promise<{ result: T; report: CallReport }> {
      const before = reports.length;
      const result = await fn();
      const mine = reports.slice(before);
      expect(mine, "measure() wraps exactly one procedure call").toHaveLength(1);
      return { result, report: mine[0]! };
    },
    /** Signs a new user up through the API; returns the user, a token and a caller acting as them. */
    async user(username: string) {
      const auth = await api.caller().identity.signUp({ username, email: `${username}@test.dc`, password: PASSWORD });
      return { ...auth, caller: api.caller(auth.token) };
    },
    async team(owner: { caller: Caller }, name: string, gameSlug = "valorant") {
      return owner.caller.teams.create({ name, gameSlug });
    },
    /** Owner invites `member` with `role` and the member accepts. */
    async addMember(
      owner: { caller: Caller },
      teamSlug: string,
      member: { user: { username: string }; caller: Caller },
      role: "manager" | "captain" | "coach" | "player" | "substitute" = "player",
    ) {
      const invite = await owner.caller.invites.send({ teamSlug, username: member.user.username, role });
      await member.caller.invites.accept({ inviteId: invite.id });
      return invite;
    },
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
    /**
     * Asserts the call is refused with the expected code (and reason, and field path), and that no
     * row anywhere changed: every refusal is a typed error that writes nothing.
     */
    refused: async (call: () => Promise<unknown>, expected: ExpectedRefusal) => {
      const before = await api.snapshotCounts();
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, "the call should have been refused").toBeInstanceOf(TRPCError);
      const trpcError = error as TRPCError;
      expect(trpcError.code).toBe(expected.code);
      const cause = trpcError.cause as
        { reason?: string; field?: string; issues?: { path: PropertyKey[] }[] } | undefined;
      if (expected.reason) expect(cause?.reason).toBe(expected.reason);
      if (expected.field) {
        const fields = cause?.issues ? cause.issues.map((i) => i.path.map(String).join(".")) : [cause?.field];
        expect(fields).toContain(expected.field);
      }
      expect(await api.snapshotCounts()).toEqual(before);
      return trpcError;
    },
  };
  return api;
}

export interface ExpectedRefusal {
  code: TRPCError["code"];
  reason?: string;
  field?: string;
}

export type Api = ReturnType<typeof useApi>;
