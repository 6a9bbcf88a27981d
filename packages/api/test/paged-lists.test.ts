/**
 * Every list is paged (issue 11): the router is walked, and each query of the `list` category
 * takes a cursor and a limit that refuses more than 50, and answers with a `nextCursor` — so a
 * list added without paging fails here, not in production with 500,000 rows.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter, listProcedures } from "../src/index.ts";

/** Lists that are not paged, each for a stated reason. */
const UNPAGED: Record<string, string> = {
  "games.list": "the fixed catalog of supported games (a handful of rows, seeded by operators)",
};
/** Lists whose page may pass 50, each for a stated reason. */
const LARGER_PAGES: Record<string, number> = {
  "rankings.leaderboard": 100, // the contract's top-100 read in one request (issue 14)
};

interface Def {
  _def: { inputs: z.ZodType[]; output?: z.ZodType };
}
const procedures = appRouter._def.procedures as unknown as Record<string, Def>;

/** The object schema under optional/default/nullable wrappers, if any. */
function objectOf(schema: z.ZodType | undefined): z.ZodObject | undefined {
  let s: unknown = schema;
  while (s && !(s instanceof z.ZodObject) && (s as { def?: { innerType?: unknown } }).def?.innerType)
    s = (s as { def: { innerType: unknown } }).def.innerType;
  return s instanceof z.ZodObject ? s : undefined;
}

describe("every list is paged", () => {
  const lists = listProcedures(appRouter).filter((p) => p.type === "query" && p.meta?.category === "list");

  it("the walk finds the lists", () => {
    expect(lists.length).toBeGreaterThan(20);
    for (const path of [...Object.keys(UNPAGED), ...Object.keys(LARGER_PAGES)])
      expect(lists.map((l) => l.path)).toContain(path);
  });

  for (const { path } of lists) {
    if (path in UNPAGED) continue;
    it(`${path} takes a cursor and a limit of at most ${LARGER_PAGES[path] ?? 50}, and answers nextCursor`, () => {
      const input = objectOf(procedures[path]!._def.inputs[0]);
      expect(input, `${path} has an object input`).toBeDefined();
      const { cursor, limit } = input!.shape as Record<string, z.ZodType | undefined>;
      expect(cursor, `${path} takes a cursor`).toBeDefined();
      expect(limit, `${path} takes a limit`).toBeDefined();
      const max = LARGER_PAGES[path] ?? 50;
      expect(limit!.safeParse(max).success).toBe(true);
      expect(limit!.safeParse(max + 1).success, `${path} refuses a limit of ${max + 1}`).toBe(false);
      // Without a limit the page is still bounded.
      const defaulted = limit!.safeParse(undefined);
      expect(defaulted.success && typeof defaulted.data === "number" && defaulted.data <= max).toBe(true);
      const output = objectOf(procedures[path]!._def.output);
      expect(output && Object.keys(output.shape), `${path} answers a page`).toContain("nextCursor");
    });
  }
});
