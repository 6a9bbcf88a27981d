import type {
  TRPC_ERROR_CODE_NUMBER,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from "@trpc/server";
import type { ErrorData, RouterShape } from "./router-shape.generated.ts";

/**
 * The API's router as the client sees it: built from the generated shape (plain types), not from
 * the server's router type, so nothing of the server's packages reaches a consumer's type-check.
 */
interface ProcedureShape {
  type: "query" | "mutation" | "subscription";
  input: unknown;
  output: unknown;
}

type Procedure<P> = P extends ProcedureShape ? ProcedureOf<P> : never;
type ProcedureOf<P extends ProcedureShape> = P["type"] extends "query"
  ? TRPCQueryProcedure<{ input: P["input"]; output: P["output"]; meta: object }>
  : P["type"] extends "mutation"
    ? TRPCMutationProcedure<{ input: P["input"]; output: P["output"]; meta: object }>
    : TRPCSubscriptionProcedure<{ input: P["input"]; output: AsyncIterable<P["output"], void>; meta: object }>;

/** The error shape every failed call carries (the server's errorFormatter). */
export interface ErrorShape {
  message: string;
  code: TRPC_ERROR_CODE_NUMBER;
  data: ErrorData;
}

export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: ErrorShape; transformer: false },
  { [N in keyof RouterShape]: { [P in keyof RouterShape[N]]: Procedure<RouterShape[N][P]> } }
>;

export type { ErrorData };
