import { wallets } from "@deltacrown/domain";
import { z } from "zod";
import { domainDeps } from "../context.ts";
import {
  historyInput,
  mintInput,
  mintResult,
  transferInput,
  transferResult,
  walletHistoryPage,
} from "../schemas/wallets.ts";
import { authedProcedure, limitPerAccount, router } from "../trpc.ts";

export const walletsRouter = router({
  balance: authedProcedure("detail")
    .output(z.object({ balance: z.number().int().nonnegative() }))
    .query(({ ctx }) => wallets.balance(domainDeps(ctx), ctx.actor)),
  transfer: authedProcedure("write")
    .use(limitPerAccount("transfers"))
    .input(transferInput)
    .output(transferResult)
    .mutation(({ ctx, input }) => wallets.transfer(domainDeps(ctx), ctx.actor, input)),
  history: authedProcedure("list")
    .input(historyInput)
    .output(walletHistoryPage)
    .query(({ ctx, input }) => wallets.history(domainDeps(ctx), ctx.actor, input)),
  mint: authedProcedure("write")
    .input(mintInput)
    .output(mintResult)
    .mutation(({ ctx, input }) => wallets.mint(domainDeps(ctx), ctx.actor, input)),
});
