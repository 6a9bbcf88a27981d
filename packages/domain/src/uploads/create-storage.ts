import { localDiskStorage } from "./local-disk-storage.ts";
import { s3Storage } from "./s3-storage.ts";
import type { ObjectStorage, StorageConfig } from "./storage.ts";

/** The storage a process was configured with (STORAGE_DRIVER and friends, README "Uploads"). */
export function createStorage(config: StorageConfig): ObjectStorage {
  return config.driver === "s3" ? s3Storage(config) : localDiskStorage(config.directory);
}
