import type { RouterOutputs } from "@deltacrown/client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Field } from "../components/field.tsx";
import { FormError } from "../components/status.tsx";
import { formMessage } from "../lib/errors.ts";
import { expiry } from "../lib/expiry.ts";
import { session } from "../lib/session.ts";
import { useTRPC } from "../lib/trpc.ts";

/** After sign-in or sign-up: hold the session, know the user, start fresh. */
function useSignedIn() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return (result: RouterOutputs["identity"]["signIn"]) => {
    queryClient.clear();
    session.signedIn();
    expiry.set(false);
    queryClient.setQueryData(trpc.identity.me.queryKey(), result.user);
    void navigate({ to: "/" });
  };
}

const form = (e: React.FormEvent<HTMLFormElement>) => {
  e.preventDefault();
  return Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
};

export function SignInPage() {
  const trpc = useTRPC();
  const signedIn = useSignedIn();
  const signIn = useMutation(trpc.identity.signIn.mutationOptions({ onSuccess: signedIn }));
  return (
    <section className="page narrow">
      <h1>Sign in</h1>
      <form
        onSubmit={(e) => {
          const v = form(e);
          signIn.mutate({ login: v.login ?? "", password: v.password ?? "" });
        }}
      >
        <Field label="Username or e-mail" field="login" error={signIn.error} autoComplete="username" required />
        <Field
          label="Password"
          field="password"
          type="password"
          error={signIn.error}
          autoComplete="current-password"
          required
        />
        <FormError message={formMessage(signIn.error, ["login", "password"])} />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </section>
  );
}

export function SignUpPage() {
  const trpc = useTRPC();
  const signedIn = useSignedIn();
  const signUp = useMutation(trpc.identity.signUp.mutationOptions({ onSuccess: signedIn }));
  return (
    <section className="page narrow">
      <h1>Create an account</h1>
      <form
        onSubmit={(e) => {
          const v = form(e);
          signUp.mutate({
            username: v.username ?? "",
            email: v.email ?? "",
            password: v.password ?? "",
            ...(v.displayName ? { displayName: v.displayName } : {}),
          });
        }}
      >
        <Field label="Username" field="username" error={signUp.error} autoComplete="username" required />
        <Field label="Display name (optional)" field="displayName" error={signUp.error} autoComplete="nickname" />
        <Field label="E-mail" field="email" type="email" error={signUp.error} autoComplete="email" required />
        <Field
          label="Password (at least 10 characters)"
          field="password"
          type="password"
          error={signUp.error}
          autoComplete="new-password"
          required
        />
        <FormError message={formMessage(signUp.error, ["username", "displayName", "email", "password"])} />
        <button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}
