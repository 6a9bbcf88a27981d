import { hostname } from "node:os";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Which process wrote the line: "api", "worker", "migrate", … */
  service: string;
  level?: LogLevel | undefined;
  /** Where lines go (stdout by default); tests pass a stream to read them. */
  destination?: DestinationStream | undefined;
}

/**
 * The one log format of every DeltaCrown process (server, worker, CLIs): one JSON object per
 * line with `level` as a word, `time` as ISO 8601, `service`, `pid`, `hostname`, `msg`, and the
 * call's own fields; an `err` field is serialized with its type, message and stack. Request
 * lines carry `requestId`.
 */
export function createLogger({ service, level = "info", destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: "msg",
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }),
  );
}

/** The fields every line of the format has (tests and log readers check against them). */
export const LOG_LINE_FIELDS = ["level", "time", "service", "pid", "hostname", "msg"] as const;
