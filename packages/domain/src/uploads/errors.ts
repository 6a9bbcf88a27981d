import { AppError } from "../shared/errors.ts";
import { MAX_UPLOAD_BYTES } from "./policy.ts";

/** The typed refusals of an upload; the field is always "file" (the request's body). */
export const fileTooLarge = () =>
  new AppError(
    "PAYLOAD_TOO_LARGE",
    `A file may be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
    "FILE_TOO_LARGE",
    "file",
  );
export const fileTypeRefused = () =>
  new AppError(
    "UNSUPPORTED_MEDIA_TYPE",
    "Only PNG, JPEG, GIF and WebP images are accepted",
    "FILE_TYPE_REFUSED",
    "file",
  );
export const imageInvalid = () =>
  new AppError("BAD_REQUEST", "The file is not a readable image", "IMAGE_INVALID", "file");
export const imageTooLarge = (message: string) => new AppError("BAD_REQUEST", message, "IMAGE_TOO_LARGE", "file");
