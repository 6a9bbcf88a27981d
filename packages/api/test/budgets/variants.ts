import { pbkdf2Sync, randomBytes } from "node:crypto";
import { PASSWORD } from "../api-harness.ts";
import { openTournament, teamOwner } from "../tournaments/fixtures.ts";
import { uniq, type Variant } from "./scenario.ts";

/** A password in the old Django site's format (few iterations: the count travels with the hash). */
export function djangoHash(password: string, iterations = 1000): string {
  const salt = randomBytes(9).toString("hex");
  const key = pbkdf2Sync(password, salt, iterations, 32, "sha256").toString("base64");
  return `pbkdf2_sha256$${iterations}$${salt}$${key}`;
}

/** Paths through a procedure that cost more (or less) than its main scenario, each counted exactly. */
export const variants: Record<string, Variant> = {
  "identity.signIn with an imported Django password": {
    path: "identity.signIn",
    queries: 2, // user by login; new session with the rehash to scrypt in its statement
    async run(api) {
      const u = await api.user(uniq("legacy"));
      await api.db
        .updateTable("users")
        .set({ password_hash: djangoHash(PASSWORD) })
        .where("id", "=", u.user.id)
        .execute();
      return api.measure(() => api.caller().identity.signIn({ login: u.user.username, password: PASSWORD }));
    },
  },
  "teams.bySlug by a member, roster members-only": {
    path: "teams.bySlug",
    queries: 2, // uncached: the session (asked only because the team hides its roster), the page; 1 on a hit
    async run(api) {
      const owner = await api.user(uniq("hider"));
      const team = await api.team(owner, uniq("Hidden Team "));
      await owner.caller.teamSettings.update({ teamSlug: team.slug, rosterVisibility: "members" });
      await api.cache.invalidate("teamDetail", team.slug);
      return api.measure(() => owner.caller.teams.bySlug({ slug: team.slug }));
    },
  },
  "registrations.register resubmitted (already entered)": {
    path: "registrations.register",
    queries: 4, // session, tournament+team+role, the write (its unique violation undoes it all), the existing entry
    async run(api) {
      const { tournament } = await openTournament(api);
      const cap = await teamOwner(api);
      const args = { tournamentSlug: tournament.slug, teamSlug: cap.team.slug, fields: {} };
      await cap.caller.registrations.register(args);
      return api.measure(() => cap.caller.registrations.register(args));
    },
  },
};
