export { createLogger, LOG_LEVELS, LOG_LINE_FIELDS, type Logger, type LoggerOptions, type LogLevel } from "./logger.ts";
export {
  exitWithUsage,
  helpText,
  parseCommand,
  tryParseCommand,
  type CommandSpec,
  type CommandValues,
  type OptionSpec,
  type ParsedCommand,
  type ParseOutcome,
} from "./cli.ts";
export { formatSeconds, progress, step, type Progress, type ProgressOptions } from "./progress.ts";
export {
  createQueryMetrics,
  observePool,
  once as metricOnce,
  SLOW_QUERY_MS,
  type LedgerLike,
  type PoolLike,
  type QueryMetrics,
  type SlowQuery,
} from "./metrics.ts";
export {
  reportConnectionErrors,
  surviveConnectionLoss,
  DB_CONNECTION_ERRORS,
  type WarnLogger,
} from "./connection-errors.ts";
export { probe, type ProbeResult } from "./probe.ts";
