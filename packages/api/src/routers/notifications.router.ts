import { notifications } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import {
  listNotificationsInput,
  markReadInput,
  markReadOutput,
  notificationPage,
  unreadCountOutput,
} from "../schemas/notifications.ts";
import { authedProcedure, router } from "../trpc.ts";

/** The signed-in user's in-app inbox. Never cached; every statement is scoped to the actor. */
export const notificationsRouter = router({
  list: authedProcedure("list")
    .input(listNotificationsInput)
    .output(notificationPage)
    .query(({ ctx, input }) => notifications.listNotifications(domainDeps(ctx), ctx.actor, input)),
  markRead: authedProcedure("write")
    .input(markReadInput)
    .output(markReadOutput)
    .mutation(({ ctx, input }) => notifications.markRead(domainDeps(ctx), ctx.actor, input)),
  unreadCount: authedProcedure("detail")
    .output(unreadCountOutput)
    .query(({ ctx }) => notifications.unreadCount(domainDeps(ctx), ctx.actor)),
});
