import { social, socialSponsorsPayload } from "@deltacrown/domain";
import type { TaskDeps } from "../../task-deps.ts";

/** `social/sponsors` (crontab): activates sponsors whose start came, ends those whose end passed. One statement. */
export async function socialSponsors(payload: unknown, deps: TaskDeps): Promise<void> {
  socialSponsorsPayload.parse(payload ?? {});
  await social.sweepSponsors({ db: deps.db, cache: deps.cache });
}
