/** Raw HTTP against the real server: what an attacker sends, without the typed client's help. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ErrorEnvelope {
  error: {
    message: string;
    data: { code: string; httpStatus: number; reason: string | null; retryAfter: number | null };
  };
}

/** One tRPC mutation as a plain POST (no batching). */
export async function mutate(
  base: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : null };
}

export const errorOf = (answer: RawAnswer) => (answer.body as ErrorEnvelope).error;

/** A Prometheus counter's value (summed over the label sets matching `labels`), 0 when absent. */
export async function counter(base: string, name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}
