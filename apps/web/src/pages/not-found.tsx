import { Link } from "@tanstack/react-router";

export function NotFound() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </section>
  );
}
