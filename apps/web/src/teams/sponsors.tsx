import type { RouterOutputs, Upload } from "@deltacrown/client";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Field } from "../components/field.tsx";
import { ImageInput } from "../components/image-input.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { FormError } from "../components/status.tsx";
import { UploadedImage } from "../components/uploaded-image.tsx";
import { formMessage, messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { TeamAdminPage } from "./team-admin.tsx";

type Sponsor = RouterOutputs["sponsors"]["list"]["items"][number];

const STATUS_LABELS: Record<Sponsor["status"], string> = {
  proposed: "Waiting for the owner's approval",
  approved: "Approved, starts later",
  active: "Active",
  ended: "Ended",
};
const day = (d: Date) => d.toISOString().slice(0, 10);

export function TeamSponsorsPage() {
  return (
    <TeamAdminPage title="Sponsors">
      {(team, can) => (
        <>
          {can.manageSponsors && <ProposeSponsor slug={team.slug} />}
          {/* Read even without the right: the server's refusal is what the page then says. */}
          <SponsorList slug={team.slug} canApprove={can.approveSponsors} />
        </>
      )}
    </TeamAdminPage>
  );
}

function useRefreshSponsors(slug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.sponsors.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.teams.bySlug.queryKey({ slug }) }),
    ]);
}

function ProposeSponsor({ slug }: { slug: string }) {
  const trpc = useTRPC();
  const refresh = useRefreshSponsors(slug);
  const [logo, setLogo] = useState<Upload | null>(null);
  const [picker, setPicker] = useState(0);
  const propose = useMutation(trpc.sponsors.propose.mutationOptions({ onSuccess: refresh }));
  const today = new Date();
  return (
    <form
      className="card"
      aria-label="Propose a sponsor"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const v = Object.fromEntries(new FormData(form)) as Record<string, string>;
        propose.mutate(
          {
            teamSlug: slug,
            name: v.name ?? "",
            linkUrl: v.linkUrl ?? "",
            startsAt: v.startsAt ?? "",
            endsAt: v.endsAt ?? "",
            ...(logo ? { logoUploadId: logo.id } : {}),
          },
          {
            onSuccess: () => {
              form.reset();
              setLogo(null);
              setPicker((n) => n + 1);
            },
          },
        );
      }}
    >
      <h2>Propose a sponsor</h2>
      <Field label="Sponsor name" field="name" error={propose.error} required maxLength={100} />
      <Field
        label="Link (https)"
        field="linkUrl"
        type="url"
        placeholder="https://"
        error={propose.error}
        required
        maxLength={500}
      />
      <Field label="Starts" field="startsAt" type="date" error={propose.error} defaultValue={day(today)} required />
      <Field
        label="Ends"
        field="endsAt"
        type="date"
        error={propose.error}
        defaultValue={day(new Date(today.getTime() + 90 * 86_400_000))}
        required
      />
      {logo && <img src={logo.thumbnailUrl} alt="Sponsor logo to propose" className="team-logo" />}
      <ImageInput
        key={picker}
        label={logo ? "Replace the logo" : "Logo (optional)"}
        field="logoUploadId"
        error={propose.error}
        onUploaded={setLogo}
      />
      <FormError message={formMessage(propose.error, ["name", "linkUrl", "startsAt", "endsAt", "logoUploadId"])} />
      {propose.isSuccess && (
        <p role="status" className="ok">
          Proposed {propose.data.name}: {STATUS_LABELS[propose.data.status].toLowerCase()}.
        </p>
      )}
      <button type="submit" disabled={propose.isPending}>
        Propose sponsor
      </button>
    </form>
  );
}

function SponsorList({ slug, canApprove }: { slug: string; canApprove: boolean }) {
  const trpc = useTRPC();
  const sponsors = useInfiniteQuery(
    trpc.sponsors.list.infiniteQueryOptions({ teamSlug: slug, limit: 20 }, { getNextPageParam: (p) => p.nextCursor }),
  );
  return (
    <section aria-labelledby="sponsor-list-heading">
      <h2 id="sponsor-list-heading">All sponsors</h2>
      <PagedList query={sponsors} items={itemsOf(sponsors)} what="sponsors" empty="No sponsors proposed yet.">
        {(items) => (
          <ul className="cards" data-testid="sponsor-list">
            {items.map((s) => (
              <SponsorItem key={s.id} slug={slug} sponsor={s} canApprove={canApprove} />
            ))}
          </ul>
        )}
      </PagedList>
    </section>
  );
}

/** Approve is offered on a proposed sponsor to those teams.viewer says may approve (the owner). */
function SponsorItem({ slug, sponsor, canApprove }: { slug: string; sponsor: Sponsor; canApprove: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefreshSponsors(slug);
  const approve = useMutation(trpc.sponsors.approve.mutationOptions({ onSuccess: refresh }));
  return (
    <li className="card sponsor">
      {sponsor.logo && <UploadedImage image={sponsor.logo} alt={`${sponsor.name} logo`} />}
      <a href={sponsor.linkUrl} target="_blank" rel="noreferrer noopener sponsored">
        {sponsor.name}
      </a>
      <span className="muted">
        {STATUS_LABELS[sponsor.status]} · {new Date(sponsor.startsAt).toLocaleDateString()} –{" "}
        {new Date(sponsor.endsAt).toLocaleDateString()}
      </span>
      {canApprove && sponsor.status === "proposed" && (
        <button type="button" onClick={() => approve.mutate({ sponsorId: sponsor.id })} disabled={approve.isPending}>
          Approve {sponsor.name}
        </button>
      )}
      <FormError message={approve.error != null ? messageOf(approve.error) : null} />
    </li>
  );
}
