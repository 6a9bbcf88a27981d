import { uploads, type ObjectStorage } from "@deltacrown/domain";
import type { FastifyInstance } from "fastify";

/**
 * GET /media/<sha256>.<ext>: stored images, from whichever storage is configured. Names are
 * content hashes, so an answer never changes: cached for a year as immutable, with the hash as
 * ETag. Served with the type its name says (never sniffed: nosniff) and a CSP that lets nothing in
 * it run; any page may embed it (Cross-Origin-Resource-Policy: cross-origin).
 */
export function registerMedia(app: FastifyInstance, storage: ObjectStorage | undefined): void {
  if (!storage) return;
  app.get<{ Params: { key: string } }>("/media/:key", async (req, reply) => {
    const { key } = req.params;
    if (!uploads.STORAGE_KEY.test(key)) return reply.code(404).send({ error: "not found" });
    const etag = `"${key.slice(0, 64)}"`;
    const immutable = {
      "cache-control": "public, max-age=31536000, immutable",
      etag,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cross-origin-resource-policy": "cross-origin",
    };
    if (req.headers["if-none-match"] === etag) return reply.code(304).headers(immutable).send();
    const object = await storage.get(key);
    if (!object) return reply.code(404).send({ error: "not found" });
    return reply
      .headers(immutable)
      .header("content-type", uploads.contentTypeOfKey(key))
      .header("content-length", object.size)
      .send(object.body);
  });
}
