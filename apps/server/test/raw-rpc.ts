/** One tRPC call as raw HTTP (no client): GET for a query, POST for a mutation, unbatched. */
export interface RawAnswer {
  status: number;
  body: {
    result?: { data: unknown };
    error?: {
      message: string;
      data: { code: string; httpStatus: number; reason: string | null; fieldErrors: Record<string, string[]> | null };
    };
  };
}

export async function rawCall(
  url: string,
  kind: "query" | "mutation",
  path: string,
  input: unknown,
  token?: string,
): Promise<RawAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response =
    kind === "query"
      ? await fetch(
          `${url}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
          {
            headers,
          },
        )
      : await fetch(`${url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(input) });
  return { status: response.status, body: (await response.json()) as RawAnswer["body"] };
}
