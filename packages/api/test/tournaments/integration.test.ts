import {
  currentLiveBus,
  findBalanceMismatches,
  installLiveBus,
  LiveBus,
  liveChannels,
  payPrizes,
  refundTournamentEntryFees,
  uninstallLiveBus,
  type LiveEvent,
} from "@deltacrown/domain";
import { createDb } from "@deltacrown/db";
import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffUser } from "../budgets/wallets.scenarios.ts";
import { useApi, type Api, type Caller } from "../support.ts";
import { uniq } from "../budgets/scenario.ts";
import { allMatches, allPlaced, draftInput, openTournament, startedTournament, teamOwner } from "./fixtures.ts";

/** The webhook deliveries (and their queued jobs) logged for one endpoint, oldest first. */
async function deliveries(api: Api, endpointId: number) {
  const { rows } = await sql<{
    event_type: string;
    payload: { type: string; data: Record<string, unknown> };
    jobs: number;
  }>`
    select d.event_type, d.payload,
      (select count(*)::int from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
        where t.identifier = 'webhooks/deliver' and j.key = 'webhook-delivery:' || d.id) as jobs
    from webhook_deliveries d where d.endpoint_id = ${endpointId} order by d.id`.execute(api.db);
  return rows;
}

/** Collects a channel's events from a subscription opened now, until `n` arrived or the deadline. */
function listen(bus: LiveBus, channel: string) {
  const abort = new AbortController();
  const events: LiveEvent[] = [];
  const stream = bus.subscribe(channel, { signal: abort.signal });
  const pump = (async () => {
    for await (const e of stream) events.push(e);
  })();
  return {
    events,
    async waitFor(n: number, ms = 3000) {
      const deadline = Date.now() + ms;
      while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      return events;
    },
    async close() {
      abort.abort();
      await pump.catch(() => undefined);
    },
  };
}

describe("tournaments → webhooks and live updates", () => {
  const api = useApi();
  let bus: LiveBus;
  let installedHere = false;

  beforeAll(async () => {
    bus = currentLiveBus() ?? new LiveBus();
    if (!currentLiveBus()) {
      installLiveBus(bus);
      installedHere = true;
    }
    await bus.start();
  });
  afterAll(() => {
    if (installedHere) uninstallLiveBus(bus);
  });

  it("registration and payment verification queue their webhooks in the same transaction", async () => {
    const { organizer, tournament } = await openTournament(api, { entryFeeCents: 500 });
    const endpoint = await organizer.caller.webhooks.register({
      tournamentSlug: tournament.slug,
      url: "https://hooks.example.test/hook",
      eventTypes: ["registration.created", "payment.verified"],
    });
    const cap = await teamOwner(api);
    const reg = await cap.caller.registrations.register({
      tournamentSlug: tournament.slug,
      teamSlug: cap.team.slug,
      fields: {},
    });
    // A duplicate submission creates no second registration and no second event.
    await cap.caller.registrations.register({ tournamentSlug: tournament.slug, teamSlug: cap.team.slug, fields: {} });
    const paid = await cap.caller.registrations.submitPayment({ registrationId: reg.id, reference: "TX-1" });
    await organizer.caller.registrations.reviewPayment({ paymentId: paid.payment!.id, decision: "verify" });

    const rows = await deliveries(api, endpoint.id);
    expect(rows.map((r) => r.event_type)).toEqual(["registration.created", "payment.verified"]);
    expect(rows.every((r) => r.jobs === 1)).toBe(true);
    expect(rows[0]!.payload).toMatchObject({ type: "registration.created", data: { registrationId: reg.id } });
    expect(rows[1]!.payload.data).toMatchObject({ paymentId: paid.payment!.id, registrationId: reg.id });

    // A rejected payment is not "verified": no event for it.
    const cap2 = await teamOwner(api);
    const reg2 = await cap2.caller.registrations.register({
      tournamentSlug: tournament.slug,
      teamSlug: cap2.team.slug,
      fields: {},
    });
    const paid2 = await cap2.caller.registrations.submitPayment({ registrationId: reg2.id, reference: "TX-2" });
    await organizer.caller.registrations.reviewPayment({ paymentId: paid2.payment!.id, decision: "reject" });
    // Endpoint subscribed to both types: the second registration adds one event, the rejection none.
    expect((await deliveries(api, endpoint.id)).map((r) => r.event_type)).toEqual([
      "registration.created",
      "payment.verified",
      "registration.created",
    ]);
  });

  it("a registration writes its audit job and webhook deliveries once, in its statement; a refused one writes none", async () => {
    const { organizer, tournament } = await openTournament(api, { capacity: 2 });
    const endpoint = await organizer.caller.webhooks.register({
      tournamentSlug: tournament.slug,
      url: "https://hooks.example.test/hook",
      eventTypes: ["registration.created"],
    });
    const auditJobs = async () => {
      const { rows } = await sql<{ entity_id: string; status: string; team_id: number }>`
        select j.payload->>'entityId' as entity_id, j.payload->'data'->>'status' as status,
               (j.payload->'data'->>'teamId')::int as team_id
          from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
         where t.identifier = 'audit/write' and j.payload->>'action' = 'registration.created'
           and (j.payload->'data'->>'tournamentId')::int = ${tournament.id}
         order by j.id`.execute(api.db);
      return rows;
    };
    const [a, f, b] = [await teamOwner(api), await teamOwner(api), await teamOwner(api)];
    const enter = (c: typeof a) =>
      c.caller.registrations.register({ tournamentSlug: tournament.slug, teamSlug: c.team.slug, fields: {} });
    const regA = await enter(a);
    const regF = await enter(f);
    const regB = await enter(b);
    expect([regA.status, regF.status, regB.status]).toEqual(["pending", "pending", "waitlisted"]);
    // A resubmission answers with the entry and writes nothing more.
    expect((await enter(a)).id).toBe(regA.id);
    expect(await auditJobs()).toEqual([
      { entity_id: String(regA.id), status: "pending", team_id: a.team.id },
      { entity_id: String(regF.id), status: "pending", team_id: f.team.id },
      { entity_id: String(regB.id), status: "waitlisted", team_id: b.team.id },
    ]);
    const rows = await deliveries(api, endpoint.id);
    expect(rows.map((r) => [r.payload.data.registrationId, r.payload.data.status, r.jobs])).toEqual([
      [regA.id, "pending", 1],
      [regF.id, "pending", 1],
      [regB.id, "waitlisted", 1],
    ]);
    expect(rows[2]!.payload).toMatchObject({
      type: "registration.created",
      data: { tournamentId: tournament.id, teamId: b.team.id, userId: b.user.id },
    });

    // Registration closes while a registration waits for the tournament row (it read "open"
    // before): the write sees the closed row, answers REGISTRATION_CLOSED and writes nothing.
    const late = await teamOwner(api);
    // Its own connections, outside the API's pool.
    const own = createDb({ connectionString: api.services.directUrl, max: 2, applicationName: "lock-holder" });
    const { refusal } = await own.db
      .transaction()
      .execute(async (trx) => {
        await sql`select 1 from tournaments where id = ${tournament.id} for update`.execute(trx);
        const refusal = late.caller.registrations
          .register({ tournamentSlug: tournament.slug, teamSlug: late.team.slug, fields: {} })
          .then(
            () => undefined,
            (e: unknown) => e as TRPCError,
          );
        const deadline = Date.now() + 10_000;
        for (;;) {
          const { rows: waiting } = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock'
               and query like '%insert into registrations%'`.execute(own.db);
          if (waiting[0]!.n > 0) break;
          if (Date.now() > deadline) throw new Error("the registration never waited for the tournament row");
          await new Promise((r) => setTimeout(r, 10));
        }
        await sql`update tournaments set status = 'registration_closed' where id = ${tournament.id}`.execute(trx);
        // Wrapped: the transaction must commit before the refusal can settle.
        return { refusal };
      })
      .finally(() => own.db.destroy());
    const refused = await refusal;
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused?.cause as { reason?: string } | undefined)?.reason).toBe("REGISTRATION_CLOSED");
    expect(await auditJobs()).toHaveLength(3);
    expect(await deliveries(api, endpoint.id)).toHaveLength(3);
    const t = await api.db
      .selectFrom("tournaments")
      .select(["entries_count", "waitlist_seq"])
      .where("id", "=", tournament.id)
      .executeTakeFirstOrThrow();
    expect(t).toEqual({ entries_count: 2, waitlist_seq: 1 });
    expect(
      await api.db.selectFrom("registrations").select("id").where("tournament_id", "=", tournament.id).execute(),
    ).toHaveLength(3);
  });

  it("matches, disputes and completion queue their webhooks; results and bracket changes go live after commit", async () => {
    const started = await startedTournament(api, 4);
    const { organizer, tournament, captainOf } = started;
    const endpoint = await organizer.caller.webhooks.register({
      tournamentSlug: tournament.slug,
      url: "https://hooks.example.test/hook",
      eventTypes: ["match.completed", "dispute.opened", "tournament.completed"],
    });
    const detail = await api.caller().tournaments.bySlug({ slug: tournament.slug });
    const live = listen(bus, liveChannels.tournament(detail.id));
    try {
      const [m1, m2] = await allMatches(api, tournament.slug, "ready");
      // Agreeing reports complete m1.
      await captainOf(m1!.sideA!.registrationId).caller.matches.report({ matchId: m1!.id, scoreA: 1, scoreB: 0 });
      expect(live.events).toHaveLength(0); // a lone report changes no result
      await captainOf(m1!.sideB!.registrationId).caller.matches.report({ matchId: m1!.id, scoreA: 1, scoreB: 0 });
      await live.waitFor(1);
      expect(live.events.map((e) => [e.type, e.data.matchId])).toEqual([["match.updated", m1!.id]]);

      // Conflicting reports on m2 open a dispute; the organizer resolves it.
      await captainOf(m2!.sideA!.registrationId).caller.matches.report({ matchId: m2!.id, scoreA: 1, scoreB: 0 });
      await captainOf(m2!.sideB!.registrationId).caller.matches.report({ matchId: m2!.id, scoreA: 0, scoreB: 1 });
      await organizer.caller.matches.resolve({ matchId: m2!.id, scoreA: 1, scoreB: 0 });
      await live.waitFor(3);
      expect(live.events.slice(1).map((e) => [e.type, e.data.state])).toEqual([
        ["match.updated", "disputed"],
        ["match.updated", "completed"],
      ]);

      // An override of m1 resets the final that depended on it: the bracket changed.
      await organizer.caller.matches.resolve({ matchId: m1!.id, scoreA: 0, scoreB: 1 });
      await live.waitFor(5);
      expect(live.events.slice(3).map((e) => e.type)).toEqual(["match.updated", "bracket.changed"]);

      // A refused change publishes nothing.
      const before = live.events.length;
      await expect(
        captainOf(m1!.sideA!.registrationId).caller.matches.report({ matchId: m1!.id, scoreA: 1, scoreB: 0 }),
      ).rejects.toThrow();
      // The final (a forfeit) and completion.
      const [final] = await allMatches(api, tournament.slug, "ready");
      await organizer.caller.matches.resolve({ matchId: final!.id, forfeit: "b" });
      await live.waitFor(before + 1);
      expect(live.events.slice(before).map((e) => [e.type, e.data.matchId])).toEqual([["match.updated", final!.id]]);
      await organizer.caller.tournaments.complete({ slug: tournament.slug });

      const types = (await deliveries(api, endpoint.id)).map((r) => r.event_type);
      expect(types).toEqual([
        "match.completed", // m1 agreed
        "dispute.opened", // m2 conflicting
        "match.completed", // m2 resolved
        "match.completed", // m1 overridden
        "match.completed", // final forfeit
        "tournament.completed",
      ]);
      const rows = await deliveries(api, endpoint.id);
      expect(rows.every((r) => r.jobs === 1)).toBe(true);
      expect(rows.at(-1)!.payload.data).toMatchObject({ tournamentId: detail.id });
      expect((rows.at(-1)!.payload.data.placements as unknown[]).length).toBe(4);
    } finally {
      await live.close();
    }
  });

  it("an organization's endpoint receives its tournaments' events; a refused registration sends nothing", async () => {
    const owner = await api.user(uniq("orgowner"));
    const org = await owner.caller.orgs.create({ name: uniq("Crown Org ") });
    const endpoint = await owner.caller.webhooks.register({
      organizationSlug: org.slug,
      url: "https://hooks.example.test/org-hook",
      eventTypes: ["registration.created"],
    });
    const t = await owner.caller.tournaments.create(draftInput({ organizationSlug: org.slug }));
    await owner.caller.tournaments.publish({ slug: t.slug });
    await owner.caller.tournaments.openRegistration({ slug: t.slug });
    const cap = await teamOwner(api);
    const reg = await cap.caller.registrations.register({
      tournamentSlug: t.slug,
      teamSlug: cap.team.slug,
      fields: {},
    });
    // A refused registration (registration closed meanwhile) queues no delivery.
    await owner.caller.tournaments.closeRegistration({ slug: t.slug });
    const late = await teamOwner(api);
    await expect(
      late.caller.registrations.register({ tournamentSlug: t.slug, teamSlug: late.team.slug, fields: {} }),
    ).rejects.toThrow();
    const rows = await deliveries(api, endpoint.id);
    expect(rows.map((r) => [r.event_type, r.payload.data.registrationId])).toEqual([["registration.created", reg.id]]);
  });

  it("generating the bracket publishes bracket.changed after the commit, a refused start nothing", async () => {
    const { organizer, tournament } = await openTournament(api, { capacity: 2 });
    const detail = await api.caller().tournaments.bySlug({ slug: tournament.slug });
    const live = listen(bus, liveChannels.tournament(detail.id));
    try {
      await organizer.caller.tournaments.closeRegistration({ slug: tournament.slug });
      // Too few entries: the start rolls back and nothing is published.
      await expect(organizer.caller.tournaments.start({ slug: tournament.slug })).rejects.toThrow();
      for (let i = 0; i < 2; i++) {
        const cap = await teamOwner(api);
        await sql`insert into registrations (tournament_id, user_id, team_id, status, fields)
          values (${detail.id}, ${cap.user.id}, ${cap.team.id}, 'confirmed', '{}')`.execute(api.db);
      }
      expect(live.events).toHaveLength(0);
      await organizer.caller.tournaments.start({ slug: tournament.slug });
      await live.waitFor(1);
      expect(live.events.map((e) => e.type)).toEqual(["bracket.changed"]);
    } finally {
      await live.close();
    }
  });
});

async function failure(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  const t = e as TRPCError;
  return { code: t.code, reason: (t.cause as { reason?: string } | undefined)?.reason };
}

/** Ledger rows written under references of this kind for these registrations / this tournament. */
async function ledgerCount(api: Api, like: string) {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from wallet_transactions where reference like ${like}`.execute(api.db);
  return rows[0]!.n;
}

const balanceOf = async (c: { caller: Caller }) => (await c.caller.wallets.balance()).balance;

/**
 * Ledger transactions under these references without exactly one audit row keyed by them (issue
 * 12: every money movement is audited in its own transaction, the set-based ones included).
 */
async function unaudited(api: Api, like: string) {
  const { rows } = await sql<{ reference: string; kind: string; audits: number }>`
    select t.reference, t.kind,
           (select count(*)::int from audit_log a
             where a.dedup_key = 'wallet_transaction:' || t.id and a.action = 'wallet.' || t.kind
               and a.entity_type = 'wallet_transaction' and a.entity_id = t.id::text) as audits
      from wallet_transactions t where t.reference like ${like}`.execute(api.db);
  expect(rows.length, `no ledger rows under ${like}`).toBeGreaterThan(0);
  return rows.filter((r) => r.audits !== 1);
}

describe("tournaments → wallets", () => {
  const api = useApi();

  async function walletTournament(overrides: Parameters<typeof openTournament>[1] = {}) {
    const staff = await staffUser(api);
    const opened = await openTournament(api, {
      paymentMethod: "wallet",
      entryFeeCents: 100,
      capacity: 8,
      ...overrides,
    });
    /** A team owner holding `coins`, with a pending registration. */
    const entrant = async (coins: number) => {
      const cap = await teamOwner(api);
      if (coins > 0)
        await staff.caller.wallets.mint({ username: cap.user.username, amount: coins, reason: "test funds" });
      const reg = await cap.caller.registrations.register({
        tournamentSlug: opened.tournament.slug,
        teamSlug: cap.team.slug,
        fields: {},
      });
      return { ...cap, reg };
    };
    return { ...opened, entrant };
  }

  it("charges the fee on confirmation, refuses without funds (nothing written), refunds a withdrawal once", async () => {
    const { organizer, tournament, entrant } = await walletTournament({ prizePool: 1000 });
    expect(tournament).toMatchObject({ paymentMethod: "wallet", prizePool: 1000, entryFeeCents: 100 });
    const org = organizer.caller;

    const poor = await entrant(40);
    expect(
      await failure(poor.caller.registrations.submitPayment({ registrationId: poor.reg.id, reference: "TX-123" })),
    ).toEqual({ code: "PRECONDITION_FAILED", reason: "WALLET_PAYMENT" });
    const before = await api.snapshotCounts();
    expect(await failure(org.registrations.review({ registrationId: poor.reg.id, decision: "confirm" }))).toEqual({
      code: "PRECONDITION_FAILED",
      reason: "INSUFFICIENT_FUNDS",
    });
    expect(await api.snapshotCounts()).toEqual(before);
    expect(await balanceOf(poor)).toBe(40);
    expect(await ledgerCount(api, `entry_fee:registration:${poor.reg.id}`)).toBe(0);
    expect(
      (await api.caller().registrations.list({ tournamentSlug: tournament.slug, limit: 10 })).items[0]?.status,
    ).toBe("pending");

    const rich = await entrant(150);
    const { result, report } = await api.measure(() =>
      org.registrations.review({ registrationId: rich.reg.id, decision: "confirm" }),
    );
    expect(result.status).toBe("confirmed");
    expect(report.ledger.count).toBeLessThanOrEqual(12);
    expect(await balanceOf(rich)).toBe(50);

    const withdrawn = await api.measure(() => rich.caller.registrations.withdraw({ registrationId: rich.reg.id }));
    expect(withdrawn.result.status).toBe("withdrawn");
    expect(withdrawn.report.ledger.count).toBe(11); // the 6 of a withdrawal + the refund (fee, lock, done?, write) + entries count
    expect(await balanceOf(rich)).toBe(150);
    // A second withdrawal is refused and refunds nothing more.
    expect((await failure(rich.caller.registrations.withdraw({ registrationId: rich.reg.id }))).reason).toBe(
      "NOT_LIVE",
    );
    expect(await balanceOf(rich)).toBe(150);
    expect(await ledgerCount(api, `refund:registration:${rich.reg.id}`)).toBe(1);
    expect(await unaudited(api, `entry_fee:registration:${rich.reg.id}`)).toEqual([]);
    expect(await unaudited(api, `refund:registration:${rich.reg.id}`)).toEqual([]);
    expect(await findBalanceMismatches(api.db)).toEqual([]);
  });

  it("pays the prize table (50/30/20, tied places split) to team owners once on completion", async () => {
    const { organizer, tournament, entrant } = await walletTournament({ prizePool: 1000, capacity: 4 });
    const org = organizer.caller;
    const caps = [];
    for (let i = 0; i < 4; i++) {
      const c = await entrant(100);
      await org.registrations.review({ registrationId: c.reg.id, decision: "confirm" });
      expect(await balanceOf(c)).toBe(0);
      caps.push(c);
    }
    await org.tournaments.closeRegistration({ slug: tournament.slug });
    await org.tournaments.start({ slug: tournament.slug });
    for (let ready = await allMatches(api, tournament.slug, "ready"); ready.length > 0;) {
      for (const m of ready) await org.matches.resolve({ matchId: m.id, scoreA: 1, scoreB: 0 });
      ready = await allMatches(api, tournament.slug, "ready");
    }
    const { report } = await api.measure(() => org.tournaments.complete({ slug: tournament.slug }));
    expect(report.ledger.count).toBeLessThanOrEqual(12);
    const standings = await allPlaced((input) => api.caller().tournaments.standings(input), tournament.slug);
    const expected: Record<number, number> = { 1: 500, 2: 300, 3: 100 };
    for (const c of caps) {
      const placement = standings.find((s) => s.registrationId === c.reg.id)?.placement;
      expect(await balanceOf(c)).toBe(expected[placement!] ?? 0);
    }
    expect(await ledgerCount(api, `prize:tournament:${tournament.id}:%`)).toBe(4);

    // A second completion is refused; paying again (a retried job) writes nothing more.
    expect((await failure(org.tournaments.complete({ slug: tournament.slug }))).code).toBe("PRECONDITION_FAILED");
    const winner = caps.find((c) => standings.find((s) => s.registrationId === c.reg.id)?.placement === 1)!;
    const again = await api.db
      .transaction()
      .execute((trx) => payPrizes(trx, tournament.id, [{ userId: winner.user.id, placement: 1, amount: 500 }]));
    expect(again).toBe(0);
    expect(await balanceOf(winner)).toBe(500);
    expect(await ledgerCount(api, `prize:tournament:${tournament.id}:%`)).toBe(4);
    // Each prize audited exactly once: paying again wrote no second audit row either.
    expect(await unaudited(api, `prize:tournament:${tournament.id}:%`)).toEqual([]);
    expect(await findBalanceMismatches(api.db)).toEqual([]);
  });

  it("cancellation refunds every charged entry set-based, exactly once", async () => {
    const { organizer, tournament, entrant } = await walletTournament();
    const org = organizer.caller;
    const charged = [];
    for (let i = 0; i < 4; i++) {
      const c = await entrant(120);
      await org.registrations.review({ registrationId: c.reg.id, decision: "confirm" });
      charged.push(c);
    }
    const pending = await entrant(120); // never confirmed, never charged
    const { report } = await api.measure(() => org.tournaments.cancel({ slug: tournament.slug }));
    expect(report.ledger.count).toBe(6);
    for (const c of [...charged, pending]) expect(await balanceOf(c)).toBe(120);
    for (const c of charged) expect(await ledgerCount(api, `refund:registration:${c.reg.id}`)).toBe(1);
    expect(await ledgerCount(api, `refund:registration:${pending.reg.id}`)).toBe(0);

    // A second cancel is refused; refunding again writes nothing.
    expect((await failure(org.tournaments.cancel({ slug: tournament.slug }))).code).toBe("PRECONDITION_FAILED");
    expect(await api.db.transaction().execute((trx) => refundTournamentEntryFees(trx, tournament.id))).toBe(0);
    for (const c of charged) expect(await balanceOf(c)).toBe(120);
    for (const c of charged) expect(await unaudited(api, `refund:registration:${c.reg.id}`)).toEqual([]);
    expect(await findBalanceMismatches(api.db)).toEqual([]);
  });
});
