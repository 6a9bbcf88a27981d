/**
 * The workspace-only "@deltacrown/api/testing" entry: the in-process API harness and the
 * query-budget scenarios, which the benchmarks replay. Sources only (never built or shipped).
 */
export { createApi } from "./api-harness.ts";
export { scenarios } from "./budgets/index.ts";
export { saltUniqueNames, type Scenario } from "./budgets/scenario.ts";
