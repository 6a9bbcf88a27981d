import { liveStreams, type LiveEvent } from "@deltacrown/domain";
import { tracked } from "@trpc/server";
import { domainDeps } from "../context.ts";
import { notificationsStreamInput, teamStreamInput, tournamentStreamInput } from "../schemas/live.ts";
import { authedProcedure, router, viewerProcedure } from "../trpc.ts";

/** What a subscriber receives for each event; `tracked` ids let a reconnect resume after the last one. */
export interface LiveUpdate {
  type: string;
  channel: string;
  data: Record<string, unknown>;
  at: string;
}

async function* asTracked(events: AsyncIterable<LiveEvent>) {
  for await (const e of events) {
    const update: LiveUpdate = { type: e.type, channel: e.channel, data: e.data, at: e.at };
    yield tracked(e.id, update);
  }
}

/**
 * Subscriptions (WebSocket or SSE). Permission checks run before the stream opens, inside the
 * call's query ledger; events then come from the live bus (Redis pub/sub across processes).
 */
export const liveRouter = router({
  notifications: authedProcedure("detail")
    .input(notificationsStreamInput)
    .subscription(({ ctx, input, signal }) =>
      asTracked(liveStreams.notificationStream(domainDeps(ctx), ctx.actor, { lastEventId: input.lastEventId, signal })),
    ),
  team: authedProcedure("detail")
    .input(teamStreamInput)
    .subscription(async ({ ctx, input, signal }) =>
      asTracked(await liveStreams.teamStream(domainDeps(ctx), ctx.actor, { ...input, signal })),
    ),
  tournament: viewerProcedure("detail")
    .input(tournamentStreamInput)
    .subscription(async ({ ctx, input, signal }) =>
      asTracked(await liveStreams.tournamentStream(domainDeps(ctx), ctx.viewer, { ...input, signal })),
    ),
});
