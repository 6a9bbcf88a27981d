import { gamesRouter } from "./routers/games.router.ts";
import { identityRouter } from "./routers/identity.router.ts";
import { invitesRouter } from "./routers/invites.router.ts";
import { teamsRouter } from "./routers/teams.router.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  identity: identityRouter,
  games: gamesRouter,
  teams: teamsRouter,
  invites: invitesRouter,
});

export type AppRouter = typeof appRouter;
