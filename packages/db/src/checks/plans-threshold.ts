// Its own module so that `pnpm check:plans --help` can show the default without loading pg.
/** A table above this many rows must not be sequentially scanned. */
export const DEFAULT_ROW_THRESHOLD = 1000;
