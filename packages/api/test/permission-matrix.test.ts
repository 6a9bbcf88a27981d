/**
 * The team role matrix (docs/architecture.md, "Roles"), enforced live on every write: each
 * action that has a procedure, run by every team role, by staff (users.is_staff set by SQL) and
 * by a stranger, on a fresh team. Allowed calls succeed (and write); refused ones are FORBIDDEN
 * and write nothing.
 */
import { randomBytes } from "node:crypto";
import type { TeamRole } from "@deltacrown/db";
import { TRPCError } from "@trpc/server";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "./support.ts";
import { useApi } from "./support.ts";

const ROLES = ["owner", "manager", "captain", "coach", "player", "substitute"] as const satisfies TeamRole[];
const ACTORS = [...ROLES, "staff", "stranger"] as const;
type ActorName = (typeof ACTORS)[number];
type Outcome = "ok" | "FORBIDDEN" | "PRECONDITION_FAILED";

interface Fixture {
  slug: string;
  inviteId: number;
}
interface Action {
  name: string;
  /** Who may, from the table in docs/architecture.md ("Roles"); everyone else is FORBIDDEN unless listed in `other`. */
  allowed: readonly ActorName[];
  /** The flag of teams.viewer that must say the same (the buttons a frontend shows). */
  viewer: keyof Awaited<ReturnType<Caller["teams"]["viewer"]>>["can"];
  other?: Partial<Record<ActorName, Outcome>>;
  run(caller: Caller, f: Fixture): Promise<unknown>;
}

const ACTIONS: Action[] = [
  {
    name: "teams.update (edit team profile)",
    viewer: "edit",
    allowed: ["owner", "manager", "staff"],
    run: (c, f) => c.teams.update({ slug: f.slug, description: "edited" }),
  },
  {
    name: "invites.send (invite members)",
    viewer: "invite",
    allowed: ["owner", "manager", "captain", "staff"],
    run: (c, f) => c.invites.send({ teamSlug: f.slug, username: "pm_outsider", role: "substitute" }),
  },
  {
    name: "invites.revoke (invite members)",
    viewer: "invite",
    allowed: ["owner", "manager", "captain", "staff"],
    run: (c, f) => c.invites.revoke({ inviteId: f.inviteId }),
  },
  {
    name: "teams.removeMember (remove members)",
    viewer: "removeMembers",
    allowed: ["owner", "manager", "staff"],
    run: (c, f) => c.teams.removeMember({ slug: f.slug, username: "pm_victim" }),
  },
  {
    name: "teams.changeRole (change roles below own)",
    viewer: "changeRoles",
    allowed: ["owner", "manager", "staff"],
    run: (c, f) => c.teams.changeRole({ slug: f.slug, username: "pm_victim", role: "player" }),
  },
  {
    name: "teams.disband",
    viewer: "disband",
    allowed: ["owner", "staff"],
    run: (c, f) => c.teams.disband({ slug: f.slug }),
  },
  {
    name: "teams.transferOwnership (staff excluded)",
    viewer: "transferOwnership",
    allowed: ["owner"],
    run: (c, f) => c.teams.transferOwnership({ slug: f.slug, username: "pm_heir" }),
  },
  {
    name: "teams.leave (everyone but the owner)",
    viewer: "leave",
    allowed: ["manager", "captain", "coach", "player", "substitute"],
    other: { owner: "PRECONDITION_FAILED" },
    run: (c, f) => c.teams.leave({ slug: f.slug }),
  },
];

describe("team permission matrix", () => {
  const api = useApi();
  const callers = {} as Record<ActorName, Caller>;
  const ids = {} as Record<ActorName | "victim" | "heir" | "invitee", number>;
  let seq = 0;

  beforeAll(async () => {
    for (const name of [...ACTORS, "victim", "heir", "invitee", "outsider"] as const) {
      const u = await api.user(`pm_${name}`);
      if (name !== "outsider") ids[name] = u.user.id;
      if ((ACTORS as readonly string[]).includes(name)) callers[name as ActorName] = u.caller;
    }
    await sql`update users set is_staff = true where id = ${ids.staff}`.execute(api.db);
  });

  /** A fresh team with one member per role, a substitute to act on, a player heir and a pending invite. */
  async function fixture(): Promise<Fixture> {
    const slug = `pm-team-${++seq}`;
    const game = await api.db.selectFrom("games").select("id").where("slug", "=", "valorant").executeTakeFirstOrThrow();
    const members: [number, TeamRole][] = [
      ...ROLES.map((r) => [ids[r], r] as [number, TeamRole]),
      [ids.victim, "substitute"],
      [ids.heir, "player"],
    ];
    const team = await api.db
      .insertInto("teams")
      .values({ slug, name: slug, game_id: game.id, owner_id: ids.owner, member_count: members.length })
      .returning("id")
      .executeTakeFirstOrThrow();
    await api.db
      .insertInto("team_memberships")
      .values(members.map(([user_id, role]) => ({ team_id: team.id, user_id, role })))
      .execute();
    const invite = await api.db
      .insertInto("team_invites")
      .values({
        team_id: team.id,
        invitee_id: ids.invitee,
        inviter_id: ids.owner,
        role: "substitute",
        token_hash: randomBytes(32),
        expires_at: sql<Date>`now() + interval '7 days'`,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { slug, inviteId: invite.id };
  }

  for (const action of ACTIONS) {
    describe(action.name, () => {
      for (const actor of ACTORS) {
        const expected: Outcome = action.allowed.includes(actor) ? "ok" : (action.other?.[actor] ?? "FORBIDDEN");
        it(`${actor}: ${expected}`, async () => {
          const f = await fixture();
          const before = await api.snapshotCounts();
          const outcome = await action.run(callers[actor], f).then(
            () => "ok" as const,
            (e: unknown) => e,
          );
          if (expected === "ok") {
            expect(outcome).toBe("ok");
            // Every allowed write is audited: at least its audit job was added.
            expect(Number((await api.snapshotCounts())?.jobs)).toBeGreaterThan(Number(before?.jobs));
          } else {
            expect(outcome).toBeInstanceOf(TRPCError);
            expect((outcome as TRPCError).code).toBe(expected);
            expect(await api.snapshotCounts()).toEqual(before);
          }
        });
      }
    });
  }

  describe("teams.viewer agrees with every write's outcome", () => {
    for (const actor of ACTORS) {
      it(actor, async () => {
        const f = await fixture();
        const viewer = await callers[actor].teams.viewer({ slug: f.slug });
        expect(viewer.role).toBe((ROLES as readonly string[]).includes(actor) ? actor : null);
        for (const action of ACTIONS)
          expect([action.name, viewer.can[action.viewer]]).toEqual([action.name, action.allowed.includes(actor)]);
      });
    }
  });
});
