/* Compile-time proof that the budget table and the router name exactly the same procedures. */
import type { AnyProcedure, AnyRouter } from "@trpc/server";
import type { AppRouter } from "../router.ts";
import type { BudgetedPath } from "./budgets.ts";

type PathsOf<R, Prefix extends string = ""> = {
  [K in keyof R & string]: R[K] extends AnyProcedure
    ? `${Prefix}${K}`
    : R[K] extends AnyRouter
      ? PathsOf<R[K]["_def"]["record"], `${Prefix}${K}.`>
      : R[K] extends object
        ? PathsOf<R[K], `${Prefix}${K}.`>
        : never;
}[keyof R & string];

/** Every procedure path of the router, e.g. "teams.bySlug". */
export type ProcedurePath = PathsOf<AppRouter["_def"]["record"]>;

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when a procedure has no budget, or a budget names no procedure. */
export const everyProcedureHasABudget: Exact<ProcedurePath, BudgetedPath> = true;
