import { tournaments } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  certificatePage,
  organizerDashboard,
  placementPageInput,
  standingPage,
  tournamentHealth,
} from "../schemas/matches.ts";
import {
  createTournamentInput,
  listTournamentsInput,
  tournamentDetail,
  tournamentPage,
  tournamentSlugInput,
  transitionResult,
  tournamentViewer,
  updateTournamentInput,
} from "../schemas/tournaments.ts";
import { authedProcedure, publicProcedure, router, viewerProcedure } from "../trpc.ts";

/** One lifecycle step as a procedure: same input, output and body, only the action differs. */
const step = (action: tournaments.TournamentAction) =>
  authedProcedure("write")
    .input(tournamentSlugInput)
    .output(transitionResult)
    .mutation(({ ctx, input }) => tournaments.transition(domainDeps(ctx), ctx.actor, input.slug, action));

export const tournamentsRouter = router({
  create: authedProcedure("write")
    .input(createTournamentInput)
    .output(tournamentDetail)
    .mutation(({ ctx, input }) => tournaments.createTournament(domainDeps(ctx), ctx.actor, input)),
  update: authedProcedure("write")
    .input(updateTournamentInput)
    .output(tournamentDetail)
    .mutation(({ ctx, input }) => tournaments.updateTournament(domainDeps(ctx), ctx.actor, input)),
  publish: step("publish"),
  openRegistration: step("openRegistration"),
  closeRegistration: step("closeRegistration"),
  cancel: authedProcedure("write")
    .input(tournamentSlugInput)
    .output(transitionResult)
    .mutation(({ ctx, input }) => tournaments.cancelTournament(domainDeps(ctx), ctx.actor, input.slug)),
  start: authedProcedure("write")
    .input(tournamentSlugInput)
    .output(transitionResult)
    .mutation(({ ctx, input }) => tournaments.startTournament(domainDeps(ctx), ctx.actor, input.slug)),
  complete: authedProcedure("write")
    .input(tournamentSlugInput)
    .output(transitionResult)
    .mutation(({ ctx, input }) => tournaments.completeTournament(domainDeps(ctx), ctx.actor, input.slug)),
  standings: viewerProcedure("list")
    .input(placementPageInput)
    .output(standingPage)
    .query(({ ctx, input }) => tournaments.results.standings(domainDeps(ctx), ctx.viewer, input)),
  certificates: viewerProcedure("list")
    .input(placementPageInput)
    .output(certificatePage)
    .query(({ ctx, input }) => tournaments.results.certificatesOf(domainDeps(ctx), ctx.viewer, input)),
  dashboard: authedProcedure("dashboard")
    .output(organizerDashboard)
    .query(({ ctx }) => tournaments.organizer.organizerDashboard(domainDeps(ctx), ctx.actor)),
  health: authedProcedure("dashboard")
    .input(tournamentSlugInput)
    .output(tournamentHealth)
    .query(({ ctx, input }) => tournaments.organizer.tournamentHealth(domainDeps(ctx), ctx.actor, input.slug)),
  remove: authedProcedure("write")
    .input(tournamentSlugInput)
    .output(tournamentSlugInput)
    .mutation(({ ctx, input }) => tournaments.removeTournament(domainDeps(ctx), ctx.actor, input.slug)),
  bySlug: viewerProcedure("detail")
    .input(tournamentSlugInput)
    .output(tournamentDetail)
    .query(({ ctx, input }) => tournaments.tournamentBySlug(domainDeps(ctx), ctx.viewer, input.slug)),
  /** The viewer's standing on the page: whether they run it, and their own entries. */
  viewer: authedProcedure("detail")
    .input(tournamentSlugInput)
    .output(tournamentViewer)
    .query(({ ctx, input }) => tournaments.tournamentViewer(domainDeps(ctx), ctx.actor, input.slug)),
  list: publicProcedure("list")
    .input(listTournamentsInput)
    .output(tournamentPage)
    .query(({ ctx, input }) => tournaments.listTournaments(domainDeps(ctx), input)),
});
