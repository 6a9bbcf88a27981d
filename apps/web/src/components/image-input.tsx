import type { Upload } from "@deltacrown/client";
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { fieldMessages, messageOf } from "../lib/errors.ts";
import { uploadFile } from "../lib/uploads.ts";

/** What image inputs accept (the server decides from the bytes; this only filters the picker). */
const ACCEPT = "image/png,image/jpeg,image/gif,image/webp";

/**
 * A file picker that uploads the chosen image at once and hands the upload to `onUploaded`.
 * The server's refusal (too large, not an image …) is shown here, at this field; `error` adds the
 * refusal of whatever later attaches the upload (e.g. setImages' "logoUploadId").
 */
export function ImageInput({
  label,
  onUploaded,
  error,
  field,
  disabled,
}: {
  label: string;
  onUploaded: (upload: Upload) => void;
  /** A later call's error, and the input path it names for this image. */
  error?: unknown;
  field?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const upload = useMutation({ mutationFn: uploadFile, onSuccess: onUploaded });
  // The upload's refusal is always about this file, whichever field the server named.
  const own = upload.error ? fieldMessages(upload.error, "file") : [];
  const messages = [
    ...(upload.error ? (own.length ? own : [messageOf(upload.error)]) : []),
    ...(field ? fieldMessages(error, field) : []),
  ];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        disabled={disabled || upload.isPending}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={messages.length ? `${id}-error` : undefined}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) upload.mutate(file);
        }}
      />
      {upload.isPending && (
        <p className="status" role="status">
          Uploading…
        </p>
      )}
      {messages.length > 0 && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {messages.join(" ")}
        </p>
      )}
    </div>
  );
}
