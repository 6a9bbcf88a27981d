import { gamesRouter } from "./routers/games.router.ts";
import { identityRouter } from "./routers/identity.router.ts";
import { invitesRouter } from "./routers/invites.router.ts";
import { orgsRouter } from "./routers/orgs.router.ts";
import { notificationsRouter } from "./routers/notifications.router.ts";
import { teamsRouter } from "./routers/teams.router.ts";
import { router } from "./trpc.ts";
import { tournamentsRouter } from "./routers/tournaments.router.ts";
import { registrationsRouter } from "./routers/registrations.router.ts";
import { matchesRouter } from "./routers/matches.router.ts";
import { certificatesRouter } from "./routers/certificates.router.ts";
import { walletsRouter } from "./routers/wallets.router.ts";
import { liveRouter } from "./routers/live.router.ts";
import { webhooksRouter } from "./routers/webhooks.router.ts";
import { rankingsRouter } from "./routers/rankings.router.ts";
import { uploadsRouter } from "./routers/uploads.router.ts";

export const appRouter = router({
  tournaments: tournamentsRouter,
  registrations: registrationsRouter,
  matches: matchesRouter,
  certificates: certificatesRouter,
  identity: identityRouter,
  games: gamesRouter,
  teams: teamsRouter,
  invites: invitesRouter,
  orgs: orgsRouter,
  notifications: notificationsRouter,
  wallets: walletsRouter,
  live: liveRouter,
  webhooks: webhooksRouter,
  rankings: rankingsRouter,
  uploads: uploadsRouter,
});

export type AppRouter = typeof appRouter;
