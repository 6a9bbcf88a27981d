import { social } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { teamSettings, updateSettingsInput } from "../schemas/social.ts";
import { authedProcedure, router } from "../trpc.ts";

/** The team's social settings (read them on the team page, teams.bySlug → settings). */
export const teamSettingsRouter = router({
  update: authedProcedure("write")
    .input(updateSettingsInput)
    .output(teamSettings)
    .mutation(({ ctx, input }) => social.updateSettings(domainDeps(ctx), ctx.actor, input)),
});
