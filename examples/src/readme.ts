import { createClient, isApiError } from "@deltacrown/client";

const session: { token?: string } = {};
const dc = createClient({ url: process.env.DC_URL ?? "http://127.0.0.1:3000", token: () => session.token });
session.token = (await dc.identity.signIn.mutate({ login: "alice", password: "deltacrown-demo" })).token;

// A new name each run (team slugs are unique): the example runs again without a CONFLICT.
const name = `Crown Academy ${Date.now().toString(36)}`;
const team = await dc.teams.create.mutate({ name, gameSlug: "valorant" });
await dc.invites.send.mutate({ teamSlug: team.slug, username: "bruno", role: "player" });
const page = await dc.teams.search.query({ gameSlug: "valorant", namePrefix: "cro", limit: 20 });
console.log(`created ${team.slug}; ${page.items.length} teams named cro…`);

try {
  await dc.teams.bySlug.query({ slug: "nope" });
} catch (e) {
  if (isApiError(e)) console.log(e.data?.code, e.data?.reason, e.data?.fieldErrors); // NOT_FOUND …
}
