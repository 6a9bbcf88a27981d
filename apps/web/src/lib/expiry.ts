/** Set when the server answers UNAUTHORIZED to a call made with a session: it expired or was revoked. */
let expired = false;
const listeners = new Set<() => void>();

export const expiry = {
  get: () => expired,
  set: (value: boolean) => {
    expired = value;
    listeners.forEach((l) => l());
  },
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
