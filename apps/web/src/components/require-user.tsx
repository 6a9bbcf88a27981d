import { Link } from "@tanstack/react-router";
import { useMe } from "../lib/use-me.ts";
import { Loading } from "./status.tsx";

/** Pages about "my" things: a way to sign in instead of an error when nobody is signed in. */
export function RequireUser({ title, children }: { title: string; children: React.ReactNode }) {
  const { user, loading } = useMe();
  if (loading) return <Loading what="your account" />;
  if (!user)
    return (
      <section className="page narrow">
        <h1>{title}</h1>
        <p>
          <Link to="/sign-in">Sign in</Link> to see this page.
        </p>
      </section>
    );
  return <>{children}</>;
}
