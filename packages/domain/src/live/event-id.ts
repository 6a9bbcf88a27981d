/**
 * Event ids are Redis stream ids ("<ms>-<seq>"), ordered by publication. The in-memory bus mints
 * ids of the same shape so every path compares them the same way.
 */
export function compareEventIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split("-").map(Number);
  const [bm = 0, bs = 0] = b.split("-").map(Number);
  return am === bm ? as - bs : am - bm;
}

export const isEventId = (value: string) => /^\d{1,16}-\d{1,10}$/.test(value);
