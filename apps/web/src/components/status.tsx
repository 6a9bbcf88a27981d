import { messageOf } from "../lib/errors.ts";

export function Loading({ what }: { what: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="status empty">{children}</p>;
}

/** A failed read: the server's message and a way to try again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => unknown }) {
  return (
    <div className="status error" role="alert">
      <p>{messageOf(error)}</p>
      {retry && (
        <button type="button" onClick={() => void retry()}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A form-level message (the call failed for a reason that is no one field's). */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
