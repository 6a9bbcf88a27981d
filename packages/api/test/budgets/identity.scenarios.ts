import { PASSWORD } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

/** Query-budget scenarios for the identity router. */
export const identityScenarios = {
  "identity.signUp": {
    queries: 3, // user, session, audit job
    run: (api) =>
      api.measure(() =>
        api.caller().identity.signUp({ username: uniq("newbie"), email: `${uniq("n")}@x.dc`, password: PASSWORD }),
      ),
  },
  "identity.signIn": {
    queries: 2, // user by login, new session
    async run(api) {
      const u = await api.user(uniq("signer"));
      return api.measure(() => api.caller().identity.signIn({ login: u.user.username, password: PASSWORD }));
    },
  },
  "identity.signOut": {
    queries: 2, // session, delete
    async run(api) {
      const u = await api.user(uniq("leaver"));
      return api.measure(() => u.caller.identity.signOut());
    },
  },
  "identity.me": {
    queries: 1, // the session lookup already carries the user
    async run(api) {
      const u = await api.user(uniq("me"));
      return api.measure(() => u.caller.identity.me());
    },
  },
} satisfies Scenarios<"identity">;
