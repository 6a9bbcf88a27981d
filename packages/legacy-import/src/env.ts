import { LEGACY_ENTITIES, type LegacyEntity } from "@deltacrown/db";
import { z } from "zod";

/** The import command's environment, parsed once. */
const schema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL (DeltaCrown's database) is required"),
  // Test hook: `<entity>:<batch>` stops that batch after its write, before its commit, and waits to be killed.
  LEGACY_IMPORT_PAUSE_AT: z
    .string()
    .regex(new RegExp(`^(${LEGACY_ENTITIES.join("|")}):\\d+$`), "<entity>:<batch number>")
    .optional(),
});

export interface ImportEnv {
  databaseUrl: string;
  pauseAt: { entity: LegacyEntity; batch: number } | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): ImportEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join(".")}: ${issue.message}`);
  }
  const pause = parsed.data.LEGACY_IMPORT_PAUSE_AT?.split(":");
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    pauseAt: pause && { entity: pause[0] as LegacyEntity, batch: Number(pause[1]) },
  };
}
