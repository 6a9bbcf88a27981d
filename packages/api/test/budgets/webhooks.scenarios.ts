import { sql } from "kysely";
import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

/** An organization owned by a new user (inserted directly; no organizations router needed). */
export async function orgOwner(api: Api) {
  const owner = await api.user(uniq("orgowner"));
  const slug = uniq("hook-org-");
  await sql`insert into organizations (slug, name, owner_id) values (${slug}, ${slug}, ${owner.user.id})`.execute(
    api.db,
  );
  return { owner, slug };
}

/** Query-budget scenarios for the webhooks router. */
export const webhooksScenarios = {
  "webhooks.register": {
    queries: 4, // session, scope + rights, endpoint, audit job
    async run(api) {
      const { owner, slug } = await orgOwner(api);
      return api.measure(() =>
        owner.caller.webhooks.register({
          organizationSlug: slug,
          url: "https://hooks.example.test/dc",
          eventTypes: ["registration.created", "match.completed"],
        }),
      );
    },
  },
  "webhooks.mine": {
    queries: 2, // session, endpoints with their scopes
    async run(api) {
      const { owner, slug } = await orgOwner(api);
      for (const path of ["a", "b", "c"])
        await owner.caller.webhooks.register({
          organizationSlug: slug,
          url: `https://hooks.example.test/${path}`,
          eventTypes: ["tournament.completed"],
        });
      return api.measure(() => owner.caller.webhooks.mine());
    },
  },
} satisfies Scenarios<"webhooks">;
