import type { Category } from "./categories.ts";

export interface Budget {
  category: Category;
  /** Ceiling enforced on every call (tests fail, production warns and counts). */
  maxQueries: number;
}
