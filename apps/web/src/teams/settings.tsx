import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Field, SelectField } from "../components/field.tsx";
import { ImageInput } from "../components/image-input.tsx";
import { FormError } from "../components/status.tsx";
import { formMessage, messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { TeamAdminPage, type Team } from "./team-admin.tsx";

const VISIBILITY = [
  { value: "public", label: "Everyone" },
  { value: "members", label: "Members only" },
] as const;
const POST_POLICY = [
  { value: "members", label: "Every member" },
  { value: "captains", label: "Captains and above" },
  { value: "managers", label: "Managers and the owner" },
] as const;
const SETTINGS_FIELDS = ["rosterVisibility", "feedVisibility", "postPolicy", "acceptsJoinRequests"];

type Settings = Team["settings"];

export function TeamSettingsPage() {
  return (
    <TeamAdminPage title="Team settings">
      {(team, can) => (
        <>
          {can.changeSettings && <SettingsForm team={team} />}
          {can.edit && <ImagesForm team={team} />}
          {!can.changeSettings && !can.edit && (
            <p className="status empty">Only the team&apos;s owner and managers change its settings and images.</p>
          )}
        </>
      )}
    </TeamAdminPage>
  );
}

function useRefreshTeam(slug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: trpc.teams.bySlug.queryKey({ slug }) });
}

function SettingsForm({ team }: { team: Team }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam(team.slug);
  const update = useMutation(trpc.teamSettings.update.mutationOptions({ onSuccess: refresh }));
  const s = team.settings;
  return (
    <form
      className="card"
      aria-label="Team settings"
      onSubmit={(e) => {
        e.preventDefault();
        const v = new FormData(e.currentTarget);
        update.mutate({
          teamSlug: team.slug,
          rosterVisibility: v.get("rosterVisibility") as Settings["rosterVisibility"],
          feedVisibility: v.get("feedVisibility") as Settings["feedVisibility"],
          postPolicy: v.get("postPolicy") as Settings["postPolicy"],
          acceptsJoinRequests: v.get("acceptsJoinRequests") === "on",
        });
      }}
    >
      <h2>Visibility and posting</h2>
      <SelectField
        label="Who sees the roster"
        field="rosterVisibility"
        error={update.error}
        defaultValue={s.rosterVisibility}
        options={VISIBILITY}
      />
      <SelectField
        label="Who sees the posts"
        field="feedVisibility"
        error={update.error}
        defaultValue={s.feedVisibility}
        options={VISIBILITY}
      />
      <SelectField
        label="Who may post"
        field="postPolicy"
        error={update.error}
        defaultValue={s.postPolicy}
        options={POST_POLICY}
      />
      <Field
        label="Accept join requests"
        field="acceptsJoinRequests"
        type="checkbox"
        className="checkbox"
        error={update.error}
        defaultChecked={s.acceptsJoinRequests}
      />
      <FormError message={formMessage(update.error, SETTINGS_FIELDS)} />
      {update.isSuccess && (
        <p role="status" className="ok">
          Settings saved.
        </p>
      )}
      <button type="submit" disabled={update.isPending}>
        Save settings
      </button>
    </form>
  );
}

/** Logo and banner: the image is uploaded when picked, then set on the team. */
function ImagesForm({ team }: { team: Team }) {
  const trpc = useTRPC();
  const refresh = useRefreshTeam(team.slug);
  const set = useMutation(trpc.teams.setImages.mutationOptions({ onSuccess: refresh }));
  return (
    <section className="card" aria-labelledby="images-heading">
      <h2 id="images-heading">Logo and banner</h2>
      <div className="row images">
        {team.logoUrl ? <img src={team.logoUrl} alt="Current logo" className="team-logo" /> : <span>No logo</span>}
        {team.bannerUrl ? (
          <img src={team.bannerUrl} alt="Current banner" className="banner-preview" />
        ) : (
          <span>No banner</span>
        )}
      </div>
      <ImageInput
        label="Upload a logo"
        field="logoUploadId"
        error={set.error}
        disabled={set.isPending}
        onUploaded={(upload) => set.mutate({ slug: team.slug, logoUploadId: upload.id })}
      />
      <ImageInput
        label="Upload a banner"
        field="bannerUploadId"
        error={set.error}
        disabled={set.isPending}
        onUploaded={(upload) => set.mutate({ slug: team.slug, bannerUploadId: upload.id })}
      />
      <div className="row">
        {team.logoUrl && (
          <button type="button" onClick={() => set.mutate({ slug: team.slug, logoUploadId: null })}>
            Remove logo
          </button>
        )}
        {team.bannerUrl && (
          <button type="button" onClick={() => set.mutate({ slug: team.slug, bannerUploadId: null })}>
            Remove banner
          </button>
        )}
      </div>
      <FormError
        message={
          set.error != null && formMessage(set.error, ["logoUploadId", "bannerUploadId"]) ? messageOf(set.error) : null
        }
      />
      {set.isSuccess && (
        <p role="status" className="ok">
          Images saved.
        </p>
      )}
    </section>
  );
}
