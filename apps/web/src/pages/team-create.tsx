import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Field, SelectField } from "../components/field.tsx";
import { useGames } from "../components/games.tsx";
import { FormError } from "../components/status.tsx";
import { formMessage } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { useMe } from "../lib/use-me.ts";

export function TeamCreatePage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { user } = useMe();
  const games = useGames();
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: (team) => {
        queryClient.setQueryData(trpc.teams.bySlug.queryKey({ slug: team.slug }), team);
        void queryClient.invalidateQueries({ queryKey: trpc.teams.pathKey() });
        void navigate({ to: "/teams/$slug", params: { slug: team.slug } });
      },
    }),
  );
  if (!user)
    return (
      <section className="page narrow">
        <h1>Create a team</h1>
        <p>
          <Link to="/sign-in">Sign in</Link> to create a team.
        </p>
      </section>
    );
  return (
    <section className="page narrow">
      <h1>Create a team</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const v = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
          create.mutate({
            name: v.name ?? "",
            gameSlug: v.gameSlug ?? "",
            ...(v.slug ? { slug: v.slug } : {}),
            ...(v.tag ? { tag: v.tag } : {}),
            ...(v.organizationSlug ? { organizationSlug: v.organizationSlug } : {}),
          });
        }}
      >
        <Field label="Team name" field="name" error={create.error} required />
        <Field
          label="Address (optional, e.g. crown-academy)"
          field="slug"
          error={create.error}
          placeholder="from the name"
        />
        <Field label="Tag (optional)" field="tag" error={create.error} maxLength={8} />
        <SelectField
          label="Game"
          field="gameSlug"
          error={create.error}
          options={(games.data ?? []).map((g) => ({ value: g.slug, label: g.name }))}
        />
        <Field label="Organization slug (optional)" field="organizationSlug" error={create.error} />
        <FormError message={formMessage(create.error, ["name", "tag", "gameSlug", "organizationSlug", "slug"])} />
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create team"}
        </button>
      </form>
    </section>
  );
}
