import type { Database } from "@deltacrown/db";
import { defaultDomainConfig, type Cache, type DomainConfig } from "@deltacrown/domain";
import type { Kysely } from "kysely";
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  type CallReport,
  type ContractMode,
} from "../src/index.ts";

/** A cheap KDF for tests and benchmarks; production uses SCRYPT_COST (default 2^15). */
export const testConfig: DomainConfig = { ...defaultDomainConfig, scryptCost: 1024 };
export const PASSWORD = "correct-horse-battery";

const createCaller = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof createCaller>;

/** Where the callers run: read lazily, so test files can build this before their services start. */
export interface ApiSource {
  readonly db: Kysely<Database>;
  readonly cache: Cache;
}

/**
 * Callers that run every procedure under the contract and report each call's ledger, plus the
 * few helpers the query-budget scenarios build their data with. Free of vitest, so `pnpm bench`
 * replays the same scenarios on its seeded dataset.
 */
export function createApi(source: ApiSource, contractMode: ContractMode = "throw") {
  const reports: CallReport[] = [];
  const api = {
    get db() {
      return source.db;
    },
    get cache(): Cache {
      return source.cache;
    },
    reports,
    caller(token?: string | null): Caller {
      return createCaller(
        createContextInner({
          db: source.db,
          cache: source.cache,
          config: testConfig,
          contractMode,
          onCall: (r) => reports.push(r),
          token: token ?? null,
        }),
      );
    },
    /** Runs exactly one procedure call and returns its ledger report (its duration included). */
    async measure<T>(fn: () => Promise<T>): Promise<{ result: T; report: CallReport }> {
      const before = reports.length;
      const result = await fn();
      const mine = reports.splice(before);
      if (mine.length !== 1) throw new Error(`measure() must wrap exactly one procedure call, saw ${mine.length}`);
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
  };
  return api;
}

export type Api = ReturnType<typeof createApi>;
