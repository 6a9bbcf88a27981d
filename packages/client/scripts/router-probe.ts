/* The types router-shape.ts reads with the compiler (not imported by anything). */
import type { AppRouter, ErrorData } from "@deltacrown/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type Inputs = inferRouterInputs<AppRouter>;
export type Outputs = inferRouterOutputs<AppRouter>;
export type Procs = AppRouter["_def"]["record"];
type YieldOf<T> = T extends AsyncIterable<infer Y, unknown, unknown> ? Y : never;
export type Yields = {
  [N in keyof Procs]: {
    [P in keyof Procs[N]]: Procs[N][P] extends { _def: { $types: { output: infer O } } } ? YieldOf<O> : never;
  };
};
export type ErrorDataShape = ErrorData;
