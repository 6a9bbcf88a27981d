import { TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter, ErrorShape } from "./router.ts";

/** An uploaded image: its id (what `teams.setImages` and other inputs take) and its URLs. */
export type Upload = inferRouterOutputs<AppRouter>["uploads"]["byId"];

/** The bytes of an image: a browser File or Blob, an ArrayBuffer, or a Uint8Array (a Node Buffer). */
export type ImageBytes = Blob | ArrayBuffer | Uint8Array;

export interface UploadOptions {
  /** Server origin, as for createClient. */
  url: string;
  token?: string | (() => string | null | undefined) | null | undefined;
  fetch?: typeof globalThis.fetch;
  /** Browser apps using the session cookie (createClient's `cookies: true`). */
  cookies?: boolean;
  signal?: AbortSignal;
}

/**
 * Uploads one image (POST /uploads; at most 5 MB, PNG/JPEG/GIF/WebP by its bytes, whatever its
 * name) and returns it, or throws the same typed error as any call (`isApiError(e)`,
 * `e.data?.reason`: FILE_TOO_LARGE, FILE_TYPE_REFUSED, IMAGE_INVALID, IMAGE_TOO_LARGE,
 * RATE_LIMITED …). Attach it by id, e.g. `teams.setImages({ slug, logoUploadId: upload.id })`.
 * Its `url`s are paths on the API's origin.
 */
export async function uploadImage(options: UploadOptions, bytes: ImageBytes): Promise<Upload> {
  const token = typeof options.token === "function" ? options.token() : options.token;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(`${options.url.replace(/\/$/, "")}/uploads`, {
      method: "POST",
      // Every runtime's fetch sends these as they are (the DOM types narrow views to ArrayBuffer ones).
      body: bytes as Blob,
      // The server reads the type from the bytes; this only says "raw bytes, not a form".
      headers: { "content-type": "application/octet-stream", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(options.cookies ? { credentials: "include" as const } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    throw TRPCClientError.from(cause instanceof Error ? cause : new Error(String(cause)));
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && body) return body as Upload;
  const error = (body as { error?: ErrorShape } | null)?.error;
  if (error) throw TRPCClientError.from<AppRouter>({ error });
  throw TRPCClientError.from(new Error(`upload failed: HTTP ${response.status}`));
}
