import { defaultLimits, formatLimit, LIMIT_ENV, LIMIT_NAMES, parseLimit, type LimitsConfig } from "@deltacrown/api";
import { parseAddressList, type StorageConfig } from "@deltacrown/domain";
import { z } from "zod";
import { parseOrigins } from "./browser.ts";
import { parseTrustProxy } from "./client-address.ts";

/** `points/seconds[/blockSeconds]`, e.g. 10/3600/900. */
const limitVar = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const limit = parseLimit(text);
      if (!limit) ctx.addIssue({ code: "custom", message: "must be points/seconds or points/seconds/blockSeconds" });
      return limit ?? z.NEVER;
    });

const limitVars = Object.fromEntries(
  LIMIT_NAMES.map((name) => [LIMIT_ENV[name], limitVar(formatLimit(defaultLimits[name]))]),
) as Record<string, ReturnType<typeof limitVar>>;

/** The server's whole configuration, parsed once at start-up; a bad variable stops the process by name. */
export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  /** Optional: without Redis only the in-process cache tier runs (single process). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** "warn" in production (log + metric); "throw" makes contract breaches fail the call. */
  CONTRACT_MODE: z.enum(["warn", "throw"]).default("warn"),
  /** scrypt cost N, a power of two ≥ 2^10. */
  SCRYPT_COST: z.coerce
    .number()
    .int()
    .refine((n) => n >= 1024 && (n & (n - 1)) === 0, "must be a power of two ≥ 1024")
    .default(2 ** 15),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * Postgres directly (not through PgBouncer) for session-bound work: the live relay's LISTEN and
   * an in-process worker. Unset: DATABASE_URL.
   */
  DATABASE_DIRECT_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  /** Read replicas (streaming standbys), comma-separated: hot public reads go there (see budgets). */
  DATABASE_REPLICA_URLS: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const urls = text
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean);
      if (urls.some((u) => !/^postgres(ql)?:\/\//.test(u)))
        ctx.addIssue({ code: "custom", message: "must be a comma list of postgres:// URLs" });
      return urls;
    }),
  /** A replica further behind than this (replay lag) takes no reads until it catches up. */
  DATABASE_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** Named prepared statements; "off" behind PgBouncer in transaction pooling mode (1.18 has none). */
  DATABASE_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
  /**
   * On SIGTERM, how long /health/ready answers 503 (while requests are still served) before the
   * server stops accepting: long enough for the load balancer's checks to take it out (HAProxy:
   * inter × fall, plus a margin).
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /**
   * How long a process may serve an entry from its in-memory tier before asking Redis again. An
   * invalidation reaches every process at once through Redis pub/sub; this only bounds staleness
   * when a message is lost (Redis restarted mid-publish).
   */
  CACHE_MEMORY_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  /** Run the job worker inside the server process (the embedded start does). */
  RUN_WORKER: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** E-mail for notifications (the in-process worker's); unset: notifications stay in-app only. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_FROM: z.string().min(3).default("DeltaCrown <noreply@deltacrown.local>"),
  /**
   * /health/detailed reports the worker down when its newest heartbeat is older than this;
   * 0: no worker belongs to this deployment (not checked).
   */
  WORKER_STALE_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /** Abuse limits on or off (off: benchmarks, or a gateway in front does it). */
  RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  /** Who may set X-Forwarded-For: empty (nobody), a hop count, or addresses/CIDRs. */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const trust = parseTrustProxy(text);
      if (trust === undefined)
        ctx.addIssue({ code: "custom", message: "must be empty, a hop count, or a comma list of addresses/CIDRs" });
      return trust ?? z.NEVER;
    }),
  /** Other origins whose pages may call the API (CORS with credentials, cookie sessions): a comma list. */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const origins = parseOrigins(text);
      if (!origins)
        ctx.addIssue({ code: "custom", message: "must be a comma list of origins like https://app.example.com" });
      return origins ?? z.NEVER;
    }),
  /** Session cookies with `Secure` (unset: yes, except in the `pnpm start` development mode over http). */
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  /** Largest request body accepted (413 above). */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Most calls in one batched request (413 above, none executed). */
  BATCH_MAX_CALLS: z.coerce.number().int().min(1).max(1000).default(20),
  /** API processes on the port (node:cluster); unset: one per core with REDIS_URL, else 1 (processes.ts). */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
  /** GET queries skip tRPC's fetch-API layer (the lean path, same wire format); "off": tRPC's adapter for all. */
  LEAN_QUERIES: z.enum(["on", "off"]).default("on"),
  /** Webhooks over plain http (unset: only in the `pnpm start` development mode). */
  WEBHOOK_ALLOW_HTTP: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  /** Addresses/CIDRs webhooks may reach although private (a local receiver in development). */
  WEBHOOK_ALLOW_ADDRESSES: z
    .string()
    .default("")
    .transform((text, ctx) => {
      const list = parseAddressList(text);
      if (!list) ctx.addIssue({ code: "custom", message: "must be a comma list of addresses or CIDRs" });
      return list ?? z.NEVER;
    }),
  /**
   * `pnpm start` only: the built web app to serve from the API's origin (default apps/web/dist,
   * built on first start); "off" serves the API alone.
   */
  WEB_ROOT: z.string().min(1).optional(),
  /** Where uploaded images are kept: "local" (a directory) or "s3" (an S3-compatible bucket). */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  /** local: the directory (default .data/uploads, next to pnpm start's embedded database). */
  STORAGE_DIR: z.string().min(1).optional(),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  S3_PREFIX: z.string().max(200).default(""),
  ...limitVars,
});

/** The whole configuration, cross-field rules included (an S3 driver needs its bucket). */
const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (env.STORAGE_DRIVER === "s3" && !env.S3_BUCKET)
    ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when STORAGE_DRIVER=s3" });
});

/** The upload storage the environment asks for; `defaultDir` when STORAGE_DIR is unset. */
export function storageOf(env: Env, defaultDir: string): StorageConfig {
  if (env.STORAGE_DRIVER === "local") return { driver: "local", directory: env.STORAGE_DIR ?? defaultDir };
  return {
    driver: "s3",
    bucket: env.S3_BUCKET ?? "",
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
    prefix: env.S3_PREFIX,
  };
}

/** The abuse limits the environment asks for; false when RATE_LIMITS=off. */
export function limitsOf(env: Env): LimitsConfig | false {
  if (env.RATE_LIMITS === "off") return false;
  const vars = env as unknown as Record<string, LimitsConfig[keyof LimitsConfig]>;
  return Object.fromEntries(LIMIT_NAMES.map((name) => [name, vars[LIMIT_ENV[name]]!])) as LimitsConfig;
}

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = checkedEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`bad environment:\n${lines.join("\n")}`);
  }
  return result.data;
}
