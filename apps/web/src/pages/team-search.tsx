import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Field, SelectField } from "../components/field.tsx";
import { TIERS, useGames } from "../components/games.tsx";
import { itemsOf, PagedList } from "../components/paged-list.tsx";
import { TeamList } from "../components/team-list.tsx";
import { useTRPC } from "../lib/trpc.ts";

interface Filters {
  gameSlug: string;
  organizationSlug: string;
  tier: string;
  namePrefix: string;
}

/** Only filters with a value go to the server (an empty one would be refused as too short). */
function inputOf(f: Filters) {
  const set = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    gameSlug: set(f.gameSlug),
    organizationSlug: set(f.organizationSlug),
    tier: set(f.tier),
    namePrefix: set(f.namePrefix),
    limit: 20,
  };
}

export function TeamSearchPage() {
  const trpc = useTRPC();
  const games = useGames();
  const [draft, setDraft] = useState<Filters>({ gameSlug: "", organizationSlug: "", tier: "", namePrefix: "" });
  const [applied, setApplied] = useState(draft);
  const results = useInfiniteQuery(
    trpc.teams.search.infiniteQueryOptions(inputOf(applied), { getNextPageParam: (page) => page.nextCursor }),
  );
  const set = (key: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [key]: e.target.value });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Teams</h1>
        <Link to="/teams/new" className="button">
          Create a team
        </Link>
      </div>
      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(draft);
        }}
      >
        <Field
          label="Name starts with"
          field="namePrefix"
          error={results.error}
          value={draft.namePrefix}
          onChange={set("namePrefix")}
        />
        <SelectField
          label="Game"
          field="gameSlug"
          error={results.error}
          value={draft.gameSlug}
          onChange={set("gameSlug")}
          options={[
            { value: "", label: "Any game" },
            ...(games.data ?? []).map((g) => ({ value: g.slug, label: g.name })),
          ]}
        />
        <SelectField
          label="Tier"
          field="tier"
          error={results.error}
          value={draft.tier}
          onChange={set("tier")}
          options={[{ value: "", label: "Any tier" }, ...TIERS.map((t) => ({ value: t, label: t }))]}
        />
        <Field
          label="Organization (slug)"
          field="organizationSlug"
          error={results.error}
          value={draft.organizationSlug}
          onChange={set("organizationSlug")}
        />
        <button type="submit">Search</button>
      </form>
      <PagedList query={results} items={itemsOf(results)} what="teams" empty="No teams match these filters.">
        {(items) => <TeamList teams={items} />}
      </PagedList>
    </section>
  );
}
