import { uploadImage, type Upload } from "@deltacrown/client";

/**
 * Sends one image to the server (POST /uploads) with the session cookie, as every call does.
 * Refusals are the same typed errors as any call's, at the field "file" (FILE_TOO_LARGE,
 * FILE_TYPE_REFUSED, IMAGE_INVALID …): show them with `<Field field="file">`'s error.
 */
export function uploadFile(file: Blob): Promise<Upload> {
  return uploadImage({ url: window.location.origin, cookies: true }, file);
}
