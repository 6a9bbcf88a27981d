/** Fixtures for tests and benchmarks: the old site's sample dump, and a generated legacy database. */
export { loadDump } from "./load-dump.ts";
export { generateLegacy, LEGACY_SAMPLE, LEGACY_SCHEMA } from "./generate.ts";
