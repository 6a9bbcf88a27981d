/*
 * `pnpm start`: the newcomer's one command. With DATABASE_URL unset it runs an embedded Postgres
 * (real binaries from npm, data kept in .data/pg), migrates it, seeds demo data, and serves the
 * API with the job worker in the same process. With DATABASE_URL set it uses that database.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommand } from "@deltacrown/ops-kit/cli";

parseCommand({
  name: "pnpm start",
  summary:
    "run the whole platform in one process: Postgres (embedded unless DATABASE_URL is set), migrated and seeded with demo data, the API and the job worker",
  env: {
    DATABASE_URL: "use this Postgres instead of the embedded one",
    DC_DATA_DIR: "where the embedded Postgres keeps its data (.data/pg)",
    REDIS_URL: "the shared cache tier (optional)",
    "HOST / PORT": "where the API listens (127.0.0.1 / 3000)",
    LOG_LEVEL: "log level (warn here unless set to something other than info)",
    WEB_ROOT: 'the built web app to serve (apps/web/dist, built on first start); "off": API only',
  },
});

// Loaded after the arguments are parsed: --help and a bad flag answer without loading the database layer.
const { createDb, migrateToLatest } = await import("@deltacrown/db");
const { startEmbeddedPostgres } = await import("@deltacrown/db/embedded");
const { DEMO_PASSWORD, seedDemo } = await import("@deltacrown/domain");
const { createLogger } = await import("@deltacrown/ops-kit");
const { parseEnv, storageOf } = await import("./env.ts");
const { closeOnSignals } = await import("./lifecycle.ts");
const { platformConfigOf } = await import("./platform-config.ts");
const { startPlatform } = await import("./platform.ts");
const { ensureWebApp } = await import("./web-build.ts");

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const say = (line: string) => process.stdout.write(`${line}\n`);

let env;
try {
  env = parseEnv(process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

let stopEmbedded: () => Promise<void> = () => Promise.resolve();
let databaseUrl = env.DATABASE_URL;
let databaseNote = "DATABASE_URL";
if (!databaseUrl) {
  const dataDir = process.env.DC_DATA_DIR ?? path.join(root, ".data", "pg");
  const shownDir = path.relative(process.cwd(), dataDir) || dataDir;
  say(`starting embedded Postgres in ${shownDir} …`);
  const embedded = await startEmbeddedPostgres({ dataDir, persistent: true });
  databaseUrl = embedded.url;
  databaseNote = `embedded, data in ${shownDir}; its port changes at each start`;
  stopEmbedded = () => embedded.stop();
}
// Until the platform serves (and closeOnSignals takes over), Ctrl-C stops Postgres too: it runs
// in a process group of its own and would outlive this process.
const earlyStop = () => void stopEmbedded().finally(() => process.exit(130));
process.once("SIGINT", earlyStop).once("SIGTERM", earlyStop);

await migrateToLatest({ connectionString: databaseUrl, onStep: (l) => say(`migrate: ${l}`) });
// Demo users share one cheap hash so seeding is instant; real sign-ups use SCRYPT_COST.
say("seeding demo data (if missing) …");
const seedDb = createDb({ connectionString: databaseUrl, max: 1 });
const { seeded } = await seedDemo(seedDb.db, 2 ** 12);
await seedDb.destroy();
say(seeded ? "seeded demo data: 12 games, 20 players, 1 organization, 5 teams" : "demo data already there");

const webRoot =
  env.WEB_ROOT === "off" ? undefined : ensureWebApp(env.WEB_ROOT ?? path.join(root, "apps/web/dist"), root, say);

const platform = await startPlatform({
  ...platformConfigOf(env),
  databaseUrl,
  runWorker: true,
  storage: storageOf(env, path.join(root, ".data", "uploads")),
  browser: { corsOrigins: env.CORS_ORIGINS, secureCookies: env.COOKIE_SECURE ?? false },
  webhooks: { allowHttp: env.WEBHOOK_ALLOW_HTTP ?? true, allowAddresses: env.WEBHOOK_ALLOW_ADDRESSES },
  logger: createLogger({ service: "api", level: env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL }),
  webRoot,
});
process.removeListener("SIGINT", earlyStop).removeListener("SIGTERM", earlyStop);
// One line on Ctrl-C: "stopping DeltaCrown … stopped." (the logger is at warn here).
closeOnSignals(
  platform,
  {
    stopping: () => process.stdout.write("\nstopping DeltaCrown (requests, jobs, then Postgres) … "),
    stopped: () => say("stopped."),
    failed: (error) => say(`failed: ${String(error)}`),
  },
  stopEmbedded,
);

say(`
${webRoot ? `Web app: ${platform.url}/   (open it in a browser; sign in as alice / ${DEMO_PASSWORD})\n` : ""}DeltaCrown is running at ${platform.url}   (health: ${platform.url}/health, metrics: ${platform.url}/metrics)
Database: ${shownUrl(databaseUrl)}   (${databaseNote})
Cache: ${env.REDIS_URL ? "Redis + in-process" : "in-process only (set REDIS_URL for the shared tier)"}

Try it (demo players: alice, bruno, … password "${DEMO_PASSWORD}"):
  curl '${platform.url}/trpc/teams.bySlug?input=%7B%22slug%22%3A%22crimson-crown%22%7D'
or from TypeScript, with the typed client:
  import { createClient } from "@deltacrown/client";
  const dc = createClient({ url: "${platform.url}" });
  const { token } = await dc.identity.signIn.mutate({ login: "alice", password: "${DEMO_PASSWORD}" });
  console.log(await dc.teams.search.query({ gameSlug: "valorant" }));

Operator commands against this database, from another terminal while this runs:
  ${databaseNote === "DATABASE_URL" ? "# DATABASE_URL: the one you set for pnpm start" : `export DATABASE_URL='${databaseUrl}'`}
  pnpm migrate                      # apply pending migrations
  pnpm jobs failed                  # failed jobs; pnpm jobs retry <id> runs one again
  pnpm admin staff grant alice      # make a user staff (audit-logged)
  pnpm check:performance            # the contract's index checks
Each takes --help.
Stop with Ctrl-C.`);

/** The URL as an operator can use it; a password given in DATABASE_URL is not echoed. */
function shownUrl(url: string): string {
  if (databaseNote === "DATABASE_URL") {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  }
  return url;
}
