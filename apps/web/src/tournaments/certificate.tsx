import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { ErrorState, Loading } from "../components/status.tsx";
import { codeOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { when } from "./format.ts";

/** The public verification page a certificate links to: anyone can check it is genuine. */
export function CertificatePage() {
  const { code } = useParams({ from: "/certificates/$code" });
  const trpc = useTRPC();
  const cert = useQuery(trpc.certificates.verify.queryOptions({ code }));
  if (cert.isPending) return <Loading what="certificate" />;
  if (cert.isError)
    return (
      <section className="page">
        <h1>Certificate</h1>
        {codeOf(cert.error) === "NOT_FOUND" || codeOf(cert.error) === "BAD_REQUEST" ? (
          <p role="alert" data-testid="certificate-invalid">
            No certificate has the code {code}: it is not genuine.
          </p>
        ) : (
          <ErrorState error={cert.error} retry={cert.refetch} />
        )}
      </section>
    );
  const c = cert.data;
  return (
    <section className="page">
      <h1>Certificate verified</h1>
      <p data-testid="certificate-verified">
        {c.recipient} placed #{c.placement} in{" "}
        <Link to="/tournaments/$slug" params={{ slug: c.tournament.slug }}>
          {c.tournament.name}
        </Link>{" "}
        ({c.tournament.tier}).
      </p>
      <dl className="facts">
        <dt>Code</dt>
        <dd>{c.code}</dd>
        <dt>Issued</dt>
        <dd>{when(c.issuedAt)}</dd>
      </dl>
    </section>
  );
}
