import { createReadStream } from "node:fs";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { ObjectStorage, StoredObject } from "./storage.ts";

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException | null)?.code === "ENOENT";

/**
 * Objects as files under one directory (inside the data directory), sharded by the key's first two
 * characters. A write goes to a temporary name and is renamed into place, so a reader never sees
 * half a file; a key that exists already is not written again (same name, same bytes).
 */
export function localDiskStorage(directory: string): ObjectStorage {
  const pathOf = (key: string) => join(directory, key.slice(0, 2), key);
  return {
    driver: "local",
    async put(key, bytes) {
      const target = pathOf(key);
      try {
        await stat(target);
        return;
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      await mkdir(join(directory, key.slice(0, 2)), { recursive: true });
      const temporary = `${target}.${randomUUID()}.tmp`;
      await writeFile(temporary, bytes, { mode: 0o644 });
      await rename(temporary, target);
    },
    async get(key): Promise<StoredObject | undefined> {
      const path = pathOf(key);
      try {
        const { size } = await stat(path);
        return { body: createReadStream(path), size };
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    },
  };
}
