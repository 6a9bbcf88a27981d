import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import type * as S3 from "@aws-sdk/client-s3";
import type { ObjectStorage, StorageConfig, StoredObject } from "./storage.ts";

/**
 * Objects in an S3-compatible bucket, for several API processes sharing one store. Immutable
 * objects: written with a year's cache lifetime, never overwritten with other bytes.
 */
export function s3Storage(config: Extract<StorageConfig, { driver: "s3" }>): ObjectStorage {
  // Loaded only when configured: a process on local disk never loads the SDK (a large module graph).
  const { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } = createRequire(import.meta.url)(
    "@aws-sdk/client-s3",
  ) as typeof S3;
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle ?? false,
    // Checksums only where S3 requires them: newer SDKs otherwise send CRC trailers in aws-chunked
    // bodies, which several S3-compatible servers (s3rver, older MinIO) do not understand.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(config.accessKeyId && config.secretAccessKey
      ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
      : {}),
  });
  const keyOf = (key: string) => `${config.prefix ?? ""}${key}`;
  return {
    driver: "s3",
    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: keyOf(key),
          Body: bytes,
          ContentType: contentType,
          CacheControl: "public, max-age=31536000, immutable",
        }),
      );
    },
    async get(key): Promise<StoredObject | undefined> {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: keyOf(key) }));
        if (!answer.Body) return undefined;
        return { body: answer.Body as Readable, size: answer.ContentLength ?? 0 };
      } catch (e) {
        if (e instanceof NoSuchKey || (e as { name?: string }).name === "NoSuchKey") return undefined;
        throw e;
      }
    },
    close: () => client.destroy(),
  };
}
