import { Link } from "@tanstack/react-router";
import { useSyncExternalStore } from "react";
import { expiry } from "../lib/expiry.ts";

/** Shown after the server refused the session: what happened and where to go, page stays usable. */
export function SessionNotice() {
  const expired = useSyncExternalStore(expiry.subscribe, expiry.get);
  if (!expired) return null;
  return (
    <div className="notice" role="alert">
      Your session has expired. <Link to="/sign-in">Sign in again</Link> to continue.
      <button type="button" className="link-button" onClick={() => expiry.set(false)}>
        Dismiss
      </button>
    </div>
  );
}
