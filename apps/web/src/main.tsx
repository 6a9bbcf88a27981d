import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { codeOf, reasonOf } from "./lib/errors.ts";
import { expiry } from "./lib/expiry.ts";
import { client, session } from "./lib/session.ts";
import { TRPCProvider } from "./lib/trpc.ts";
import { createAppRouter } from "./router.tsx";
import "./styles.css";

/**
 * A refused session ends it here, once, for every query and mutation. UNAUTHORIZED with a reason
 * (a wrong password) is about a form, not the session. Only a session this tab had confirmed
 * "expired"; on a first load it simply was not there.
 */
function onApiError(error: unknown) {
  if (codeOf(error) !== "UNAUTHORIZED" || reasonOf(error) || !session.active()) return;
  if (session.known()) expiry.set(true);
  session.signedOut();
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx answer will not change by asking again; a network failure might.
      retry: (count, error) => codeOf(error) === undefined && count < 2,
    },
  },
});
const router = createAppRouter(queryClient);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={client} queryClient={queryClient}>
        <RouterProvider router={router} />
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
);
