import type { Api } from "../api-harness.ts";
import { uniq, type Scenarios } from "./scenario.ts";

/**
 * An upload row as POST /uploads leaves it (the bytes themselves are not needed to measure the
 * reads and attaches: those never touch storage). Keys are made unique per call.
 */
export async function storedUpload(api: Api, ownerId: number) {
  const hex = (Date.now().toString(16) + Math.random().toString(16).slice(2)).replace(/\./g, "").padEnd(64, "0");
  const key = hex.slice(0, 64);
  return api.db
    .insertInto("uploads")
    .values({
      owner_id: ownerId,
      content_type: "image/png",
      byte_size: 1024,
      width: 64,
      height: 64,
      storage_key: `${key}.png`,
      thumb_key: `${key}.webp`,
    })
    .returning(["id", "storage_key"])
    .executeTakeFirstOrThrow();
}

/** Query-budget scenarios for the uploads router. */
export const uploadsScenarios = {
  "uploads.byId": {
    queries: 2, // session, upload
    async run(api) {
      const owner = await api.user(uniq("uploader"));
      const { id } = await storedUpload(api, owner.user.id);
      return api.measure(() => owner.caller.uploads.byId({ uploadId: id }));
    },
  },
} satisfies Scenarios<"uploads">;
