/**
 * `notifications/deliver` against a real SMTP receiver (smtp-server on a random port): an invite
 * sent through the domain becomes an e-mail to the invitee; without SMTP the in-app row is all.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { Cache, defaultDomainConfig, demoGames, identity, invites, resolveSession, teams } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { Logger } from "graphile-worker";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTaskList, smtpMailer, JOB_ITEM_BUDGET, type JobReport, type Mailer } from "../src/index.ts";
import { runJobsOnce, workerPool } from "./worker-pool.ts";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

describe("notifications/deliver", () => {
  const services = useTestServices();
  const received: Received[] = [];
  let smtp: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    smtp.listen(0, "127.0.0.1");
    await once(smtp.server, "listening");
    port = (smtp.server.address() as AddressInfo).port;
    await services.db.insertInto("games").values(demoGames).execute();
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  const deps = () => ({
    db: services.db,
    cache: new Cache({}),
    config: { ...defaultDomainConfig, scryptCost: 1024 },
  });

  async function signUp(username: string) {
    const { user, token } = await identity.signUp(deps(), {
      username,
      email: `${username}@mail.dc`,
      password: "long-enough-pw",
    });
    const actor = await resolveSession(services.db, token, 30);
    return { user, actor: actor! };
  }

  async function drain(mailer: Mailer | undefined) {
    const reports: JobReport[] = [];
    await runJobsOnce({
      pgPool: workerPool(services.pool),
      logger: new Logger(() => () => undefined),
      taskList: createTaskList({ deps: { db: services.db, mailer }, onJob: (r) => reports.push(r) }),
    });
    return reports;
  }

  it("e-mails the invitee with a sensible subject and body when SMTP is configured", async () => {
    const owner = await signUp("mailowner");
    const invitee = await signUp("mailinvitee");
    const team = await teams.createTeam(deps(), owner.actor, { name: "Mail Crew", gameSlug: "valorant" });
    await drain(undefined); // the team's own jobs (audit) out of the way
    await invites.inviteMember(deps(), owner.actor, { teamSlug: team.slug, username: "mailinvitee", role: "captain" });

    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, "DeltaCrown <noreply@deltacrown.test>");
    try {
      const reports = await drain(mailer);
      const deliver = reports.filter((r) => r.task === "notifications/deliver");
      expect(deliver).toHaveLength(1);
      expect(deliver[0]!.ok).toBe(true);
      expect(deliver[0]!.ledger.count).toBeLessThanOrEqual(JOB_ITEM_BUDGET);
    } finally {
      mailer.close();
    }
    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from).toBe("noreply@deltacrown.test");
    expect(mail.to).toEqual(["mailinvitee@mail.dc"]);
    const unfolded = mail.raw.replace(/\r\n[ \t]/g, " ");
    expect(unfolded).toMatch(/^Subject: DeltaCrown: mailowner invited you to join Mail Crew$/m);
    expect(unfolded).toContain(`Hi ${invitee.user.displayName},`);
    expect(unfolded).toMatch(/join Mail Crew as captain/);
    // The in-app row exists either way.
    const rows = await services.db
      .selectFrom("notifications")
      .select("kind")
      .where("user_id", "=", invitee.user.id)
      .execute();
    expect(rows).toEqual([{ kind: "team.invite" }]);
  });

  it("without SMTP the job succeeds without a query and sends nothing", async () => {
    const before = received.length;
    const owner = await signUp("quietowner");
    await signUp("quietinvitee");
    const team = await teams.createTeam(deps(), owner.actor, { name: "Quiet Crew", gameSlug: "valorant" });
    await invites.inviteMember(deps(), owner.actor, { teamSlug: team.slug, username: "quietinvitee", role: "player" });
    const reports = await drain(undefined);
    const deliver = reports.filter((r) => r.task === "notifications/deliver");
    expect(deliver).toHaveLength(1);
    expect(deliver[0]).toMatchObject({ ok: true });
    expect(deliver[0]!.ledger.count).toBe(0);
    expect(received.length).toBe(before);
  });
});
