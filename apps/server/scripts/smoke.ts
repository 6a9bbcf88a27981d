/*
 * Checks a running platform the way a newcomer would: /health answers, and the typed client can
 * read demo data and sign in. Used by .ci/run after `pnpm start`.
 */
import { parseCommand } from "@deltacrown/ops-kit/cli";

const { positionals } = parseCommand({
  name: "tsx apps/server/scripts/smoke.ts",
  summary: "check a running platform seeded with the demo data: /health, a team page, a sign-in",
  usage: ["[url]"],
  positionals: { max: 1 },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the API client and the domain.
const { createClient } = await import("@deltacrown/client");
const { DEMO_PASSWORD } = await import("@deltacrown/domain");

const url = positionals[0] ?? "http://127.0.0.1:3000";
const health = await fetch(`${url}/health`);
if (!health.ok) throw new Error(`/health answered ${health.status}`);
const dc = createClient({ url });
const team = await dc.teams.bySlug.query({ slug: "crimson-crown" });
const { token } = await dc.identity.signIn.mutate({ login: "alice", password: DEMO_PASSWORD });
const mine = (await createClient({ url, token }).teams.mine.query()).items;
if (team.roster.length < 2 || mine.length === 0) throw new Error("demo data missing");
process.stdout.write(
  `smoke ok: ${url} · ${team.name} has ${team.roster.length} members · alice is on ${mine.length} team(s)\n`,
);
