import { webhooks } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { myEndpointsInput, registeredWebhook, registerWebhookInput, webhookEndpointPage } from "../schemas/webhooks.ts";
import { authedProcedure, limitPerAccount, router } from "../trpc.ts";

export const webhooksRouter = router({
  register: authedProcedure("write")
    .use(limitPerAccount("webhooks"))
    .input(registerWebhookInput)
    .output(registeredWebhook)
    .mutation(({ ctx, input }) => webhooks.registerEndpoint(domainDeps(ctx), ctx.actor, input)),
  mine: authedProcedure("list")
    .input(myEndpointsInput)
    .output(webhookEndpointPage)
    .query(({ ctx, input }) => webhooks.myEndpoints(domainDeps(ctx), ctx.actor, input)),
});
