import type { DomainDeps } from "../shared/deps.ts";
import type { ObjectStorage } from "./storage.ts";

/** The configured storage; a process wired without one is a programming error, not a client's. */
export function requireStorage(deps: Pick<DomainDeps, "storage">): ObjectStorage {
  if (!deps.storage) throw new Error("no upload storage configured for this process");
  return deps.storage;
}
