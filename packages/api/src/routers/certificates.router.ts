import { tournaments } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { certificate, certificateCodeInput } from "../schemas/matches.ts";
import { publicProcedure, router } from "../trpc.ts";

export const certificatesRouter = router({
  verify: publicProcedure("detail")
    .input(certificateCodeInput)
    .output(certificate)
    .query(({ ctx, input }) => tournaments.results.verifyCertificate(domainDeps(ctx), input.code)),
});
