import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { Field } from "../components/field.tsx";
import { RequireUser } from "../components/require-user.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { ErrorState, FormError, Loading } from "../components/status.tsx";
import { formMessage } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";

/** 128 random bits as hex (crypto.randomUUID needs a secure context; this does not). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * One idempotency key per logical transfer: made when the form is filled, kept across retries
 * and double clicks (the server answers a repeat with the first result), renewed after success
 * or when the transfer's details change.
 */
function TransferForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = useRef(newKey());
  // Set synchronously on submit: a second click lands before React re-renders the disabled button.
  const sending = useRef(false);
  const transfer = useMutation(
    trpc.wallets.transfer.mutationOptions({
      onSettled: () => {
        sending.current = false;
      },
      onSuccess: () => {
        key.current = newKey();
        void queryClient.invalidateQueries({ queryKey: trpc.wallets.pathKey() });
      },
    }),
  );
  return (
    <form
      className="card"
      aria-label="Send coins"
      onChange={() => {
        key.current = newKey();
      }}
      onSubmit={(e) => {
        e.preventDefault();
        if (sending.current) return;
        sending.current = true;
        const form = e.currentTarget;
        const v = Object.fromEntries(new FormData(form)) as Record<string, string>;
        transfer.mutate(
          {
            to: v.to ?? "",
            amount: Number(v.amount),
            idempotencyKey: key.current,
            ...(v.memo ? { memo: v.memo } : {}),
          },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      <h2>Send coins</h2>
      <Field label="To (username)" field="to" error={transfer.error} required />
      <Field
        label="Amount"
        field="amount"
        type="number"
        min={1}
        step={1}
        inputMode="numeric"
        error={transfer.error}
        required
      />
      <Field label="Memo (optional)" field="memo" error={transfer.error} maxLength={140} />
      <FormError message={formMessage(transfer.error, ["to", "amount", "memo", "idempotencyKey"])} />
      {transfer.isSuccess && (
        <p role="status" className="ok">
          Sent {transfer.data.amount} to {transfer.data.to}. Balance: {transfer.data.balance}.
        </p>
      )}
      <button type="submit" disabled={transfer.isPending}>
        {transfer.isPending ? "Sending…" : "Send"}
      </button>
    </form>
  );
}

function Wallet() {
  const trpc = useTRPC();
  const balance = useQuery(trpc.wallets.balance.queryOptions());
  const history = useInfiniteQuery(
    trpc.wallets.history.infiniteQueryOptions({ limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  return (
    <section className="page">
      <h1>Wallet</h1>
      {balance.isPending ? (
        <Loading what="balance" />
      ) : balance.isError ? (
        <ErrorState error={balance.error} retry={balance.refetch} />
      ) : (
        <p className="balance">
          Balance: <strong data-testid="balance">{balance.data.balance}</strong> coins
        </p>
      )}
      <TransferForm />
      <h2>History</h2>
      <PagedList query={history} items={itemsOf(history)} what="history" empty="No transactions yet.">
        {(entries) => (
          <table className="history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Amount</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.createdAt).toLocaleString()}</td>
                  <td>
                    {e.kind}
                    {e.counterparty && ` · ${e.amount < 0 ? "to" : "from"} @${e.counterparty}`}
                    {e.memo && <span className="muted"> · {e.memo}</span>}
                  </td>
                  <td className={e.amount < 0 ? "neg" : "pos"}>{e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedList>
    </section>
  );
}

export function WalletPage() {
  return (
    <RequireUser title="Wallet">
      <Wallet />
    </RequireUser>
  );
}
