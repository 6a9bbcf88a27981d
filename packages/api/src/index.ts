export { appRouter, type AppRouter } from "./router.ts";
export { createCallerFactory } from "./trpc.ts";
export {
  createContextInner,
  createContextFactory,
  bearerToken,
  sessionOf,
  type Context,
  type ContextTransport,
  type ContextDeps,
  type ApiLogger,
  type ContextRequest,
} from "./context.ts";
export { createMetrics, DURATION_BUCKETS, type Metrics } from "./contract/metrics.ts";
export { CATEGORIES, N_PLUS_ONE_THRESHOLD, type Category, type ProcedureMeta } from "./contract/categories.ts";
export { budgets, type Budget, type BudgetedPath } from "./contract/budgets.ts";
export { ContractViolationError, type CallReport, type ContractMode, type Violation } from "./contract/enforce.ts";
export { retryAfterOf, type ErrorData } from "./errors.ts";
export { AbuseLimits, RateLimitedError, type AbuseLimitsOptions } from "./limits/abuse-limits.ts";
export {
  defaultLimits,
  formatLimit,
  LIMIT_ENV,
  LIMIT_NAMES,
  parseLimit,
  type Limit,
  type LimitName,
  type LimitsConfig,
} from "./limits/limits-config.ts";
export { listProcedures, type ProcedureInfo } from "./router-walk.ts";
export type { ProcedurePath } from "./contract/budgets.check.ts";
export {
  SESSION_COOKIE,
  SESSION_MODE_HEADER,
  sessionCookieFor,
  sessionCookieHeader,
  sessionCookieToken,
  type SessionCookie,
  type TokenSource,
} from "./session-cookie.ts";
export { JsonText } from "./reads/pre-serialized.ts";
export { createReadRouting, isUnreachable, type ReadRouting, type ReadRoutingOptions } from "./reads/read-routing.ts";
export { inputSchemaOf, openApiDocument, outputSchemaOf, publicQueries } from "./openapi.ts";
