import type { Readable } from "node:stream";

/** A stored object as the media route streams it. */
export interface StoredObject {
  body: Readable;
  size: number;
}

/**
 * Where uploaded images live: one small interface, two drivers (local disk, S3-compatible).
 * Keys are content-hashed (`<sha256>.<ext>`), so an object never changes once written and a put
 * of an existing key may skip the write.
 */
export interface ObjectStorage {
  readonly driver: "local" | "s3";
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The object, or undefined when there is none by that key. */
  get(key: string): Promise<StoredObject | undefined>;
  close?(): void;
}

export type StorageConfig =
  | { driver: "local"; directory: string }
  | {
      driver: "s3";
      bucket: string;
      region: string;
      /** An S3-compatible endpoint (MinIO, R2, s3rver …); unset: AWS. */
      endpoint?: string | undefined;
      accessKeyId?: string | undefined;
      secretAccessKey?: string | undefined;
      /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
      forcePathStyle?: boolean | undefined;
      /** A prefix for every key (several deployments in one bucket). */
      prefix?: string | undefined;
    };
