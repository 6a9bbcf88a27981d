import { uploads } from "@deltacrown/domain";
import { domainDeps } from "../context.ts";
import { upload, uploadByIdInput } from "../schemas/uploads.ts";
import { authedProcedure, router } from "../trpc.ts";

/**
 * Uploads are sent as bytes to POST /uploads (apps/server; the client's `uploadImage`), not through
 * tRPC: the body is streamed and cut off at the size cap. Here, reads of the caller's uploads.
 */
export const uploadsRouter = router({
  byId: authedProcedure("detail")
    .input(uploadByIdInput)
    .output(upload)
    .query(({ ctx, input }) => uploads.uploadById(domainDeps(ctx), ctx.actor, input.uploadId)),
});
