import { webhooks } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import { registeredWebhook, registerWebhookInput, webhookEndpoint } from "../schemas/webhooks.ts";
import { authedProcedure, limitPerAccount, router } from "../trpc.ts";

export const webhooksRouter = router({
  register: authedProcedure("write")
    .use(limitPerAccount("webhooks"))
    .input(registerWebhookInput)
    .output(registeredWebhook)
    .mutation(({ ctx, input }) => webhooks.registerEndpoint(domainDeps(ctx), ctx.actor, input)),
  mine: authedProcedure("list")
    .output(z.array(webhookEndpoint))
    .query(({ ctx }) => webhooks.myEndpoints(domainDeps(ctx), ctx.actor)),
});
