import type { RouterInputs } from "@deltacrown/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { useState } from "react";
import { Field, SelectField } from "../components/field.tsx";
import { useGames } from "../components/games.tsx";
import { RequireUser } from "../components/require-user.tsx";
import { ErrorState, FormError, Loading } from "../components/status.tsx";
import { fieldMessages, formMessage } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { FORMAT_LABELS, toLocalInput, type Format, type Tournament } from "./format.ts";

type CreateInput = RouterInputs["tournaments"]["create"];
type FieldKind = NonNullable<CreateInput["customFields"]>[number]["kind"];
const KINDS: { value: FieldKind; label: string }[] = [
  { value: "text", label: "Text" },
  { value: "number", label: "Number" },
  { value: "select", label: "Choice" },
  { value: "checkbox", label: "Checkbox" },
  { value: "in_game_id", label: "In-game id" },
];

interface CustomFieldDraft {
  key: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  options: string;
}
interface SponsorDraft {
  name: string;
  url: string;
}
interface Draft {
  name: string;
  gameSlug: string;
  format: Format;
  participantType: "team" | "solo";
  capacity: string;
  teamSize: string;
  bestOf: "1" | "3" | "5" | "7";
  thirdPlaceMatch: boolean;
  grandFinalReset: boolean;
  registrationOpensAt: string;
  registrationClosesAt: string;
  checkinOpensAt: string;
  checkinClosesAt: string;
  startsAt: string;
  entryFee: string;
  currency: string;
  description: string;
  rules: string;
  prizeDescription: string;
  customFields: CustomFieldDraft[];
  sponsors: SponsorDraft[];
}

const HOUR = 3_600_000;
function newDraft(): Draft {
  const now = Date.now();
  return {
    name: "",
    gameSlug: "valorant",
    format: "single_elimination",
    participantType: "team",
    capacity: "8",
    teamSize: "1",
    bestOf: "1",
    thirdPlaceMatch: false,
    grandFinalReset: true,
    registrationOpensAt: toLocalInput(new Date(now)),
    registrationClosesAt: toLocalInput(new Date(now + 7 * 24 * HOUR)),
    checkinOpensAt: "",
    checkinClosesAt: "",
    startsAt: toLocalInput(new Date(now + 8 * 24 * HOUR)),
    entryFee: "0",
    currency: "EUR",
    description: "",
    rules: "",
    prizeDescription: "",
    customFields: [],
    sponsors: [],
  };
}

function draftOf(t: Tournament): Draft {
  const local = (iso: string | null) => (iso ? toLocalInput(new Date(iso)) : "");
  return {
    name: t.name,
    gameSlug: t.game.slug,
    format: t.format,
    participantType: t.participantType,
    capacity: String(t.capacity),
    teamSize: String(t.teamSize),
    bestOf: String(t.settings.bestOf) as Draft["bestOf"],
    thirdPlaceMatch: t.settings.thirdPlaceMatch,
    grandFinalReset: t.settings.grandFinalReset,
    registrationOpensAt: local(t.registrationOpensAt),
    registrationClosesAt: local(t.registrationClosesAt),
    checkinOpensAt: local(t.checkinOpensAt),
    checkinClosesAt: local(t.checkinClosesAt),
    startsAt: local(t.startsAt),
    entryFee: (t.entryFeeCents / 100).toFixed(2),
    currency: t.currency,
    description: t.description,
    rules: t.rules,
    prizeDescription: t.prizeDescription,
    customFields: t.customFields.map((f) => ({ ...f, options: f.options.join(", ") })),
    sponsors: t.sponsors.map((s) => ({ name: s.name, url: s.url ?? "" })),
  };
}

/** The form's values as the API's input; empty optional values are left out. */
function inputOf(d: Draft) {
  const date = (v: string) => (v ? new Date(v) : undefined);
  return {
    name: d.name,
    format: d.format,
    participantType: d.participantType,
    capacity: Number(d.capacity),
    teamSize: d.participantType === "solo" ? 1 : Number(d.teamSize),
    registrationOpensAt: new Date(d.registrationOpensAt),
    registrationClosesAt: new Date(d.registrationClosesAt),
    checkinOpensAt: date(d.checkinOpensAt),
    checkinClosesAt: date(d.checkinClosesAt),
    startsAt: new Date(d.startsAt),
    entryFeeCents: Math.round(Number(d.entryFee || "0") * 100),
    currency: d.currency || undefined,
    description: d.description || undefined,
    rules: d.rules || undefined,
    prizeDescription: d.prizeDescription || undefined,
    settings: {
      bestOf: Number(d.bestOf) as 1 | 3 | 5 | 7,
      thirdPlaceMatch: d.thirdPlaceMatch,
      grandFinalReset: d.grandFinalReset,
    },
    customFields: d.customFields.map((f) => ({
      key: f.key,
      label: f.label,
      kind: f.kind,
      required: f.required,
      options:
        f.kind === "select"
          ? f.options
              .split(",")
              .map((o) => o.trim())
              .filter(Boolean)
          : undefined,
    })),
    sponsors: d.sponsors.map((s) => ({ name: s.name, url: s.url || undefined })),
  };
}

const TOP_FIELDS = [
  "name",
  "gameSlug",
  "format",
  "capacity",
  "teamSize",
  "registrationOpensAt",
  "registrationClosesAt",
  "checkinOpensAt",
  "checkinClosesAt",
  "startsAt",
  "entryFeeCents",
  "currency",
  "description",
  "rules",
  "prizeDescription",
  "settings.bestOf",
  "settings.groupCount",
];

export function CreateTournamentPage() {
  return (
    <RequireUser title="Create a tournament">
      <CreateTournament />
    </RequireUser>
  );
}

function CreateTournament() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const create = useMutation(
    trpc.tournaments.create.mutationOptions({
      onSuccess: (t) => void navigate({ to: "/tournaments/$slug/manage", params: { slug: t.slug } }),
    }),
  );
  return (
    <section className="page">
      <h1>Create a tournament</h1>
      <TournamentForm
        initial={newDraft()}
        error={create.error}
        pending={create.isPending}
        submitLabel="Create tournament"
        onSubmit={(d) => create.mutate({ ...inputOf(d), gameSlug: d.gameSlug })}
      />
    </section>
  );
}

export function EditTournamentPage() {
  const { slug } = useParams({ from: "/tournaments/$slug/edit" });
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const tournament = useQuery(trpc.tournaments.bySlug.queryOptions({ slug }));
  const update = useMutation(
    trpc.tournaments.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.tournaments.bySlug.queryKey({ slug }) });
        void navigate({ to: "/tournaments/$slug/manage", params: { slug } });
      },
    }),
  );
  if (tournament.isPending) return <Loading what="tournament" />;
  if (tournament.isError) return <ErrorState error={tournament.error} retry={tournament.refetch} />;
  return (
    <section className="page">
      <h1>Edit {tournament.data.name}</h1>
      <TournamentForm
        initial={draftOf(tournament.data)}
        error={update.error}
        pending={update.isPending}
        submitLabel="Save changes"
        lockGame
        onSubmit={(d) => update.mutate({ ...inputOf(d), slug })}
      />
    </section>
  );
}

function TournamentForm({
  initial,
  error,
  pending,
  submitLabel,
  lockGame = false,
  onSubmit,
}: {
  initial: Draft;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  lockGame?: boolean;
  onSubmit: (d: Draft) => void;
}) {
  const games = useGames();
  const [d, setD] = useState(initial);
  const set =
    (key: keyof Draft) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
      setD({ ...d, [key]: e.target.type === "checkbox" ? (e.target as HTMLInputElement).checked : e.target.value });
  const setField = (i: number, patch: Partial<CustomFieldDraft>) =>
    setD({ ...d, customFields: d.customFields.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const setSponsor = (i: number, patch: Partial<SponsorDraft>) =>
    setD({ ...d, sponsors: d.sponsors.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const nestedPaths = [
    ...d.customFields.flatMap((_, i) => [
      `customFields.${i}.key`,
      `customFields.${i}.label`,
      `customFields.${i}.options`,
    ]),
    ...d.sponsors.flatMap((_, i) => [`sponsors.${i}.name`, `sponsors.${i}.url`]),
  ];
  return (
    <form
      className="tournament-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(d);
      }}
    >
      <Field label="Name" field="name" error={error} value={d.name} onChange={set("name")} required />
      {!lockGame && (
        <SelectField
          label="Game"
          field="gameSlug"
          error={error}
          value={d.gameSlug}
          onChange={set("gameSlug")}
          options={(games.data ?? []).map((g) => ({ value: g.slug, label: g.name }))}
        />
      )}
      <SelectField
        label="Format"
        field="format"
        error={error}
        value={d.format}
        onChange={set("format")}
        options={Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label }))}
      />
      <SelectField
        label="Entrants"
        field="participantType"
        error={error}
        value={d.participantType}
        onChange={set("participantType")}
        options={[
          { value: "team", label: "Teams" },
          { value: "solo", label: "Solo players" },
        ]}
      />
      <Field
        label="Capacity"
        field="capacity"
        error={error}
        type="number"
        min={2}
        max={1024}
        value={d.capacity}
        onChange={set("capacity")}
      />
      {d.participantType === "team" && (
        <Field
          label="Team size"
          field="teamSize"
          error={error}
          type="number"
          min={1}
          max={12}
          value={d.teamSize}
          onChange={set("teamSize")}
        />
      )}
      <SelectField
        label="Best of"
        field="settings.bestOf"
        error={error}
        value={d.bestOf}
        onChange={set("bestOf")}
        options={["1", "3", "5", "7"].map((n) => ({ value: n, label: n }))}
      />
      {d.format === "single_elimination" && (
        <div className="field checkbox">
          <input id="third-place" type="checkbox" checked={d.thirdPlaceMatch} onChange={set("thirdPlaceMatch")} />
          <label htmlFor="third-place">Third-place match</label>
        </div>
      )}
      {d.format === "double_elimination" && (
        <div className="field checkbox">
          <input id="gf-reset" type="checkbox" checked={d.grandFinalReset} onChange={set("grandFinalReset")} />
          <label htmlFor="gf-reset">Grand-final reset</label>
        </div>
      )}
      <Field
        label="Registration opens"
        field="registrationOpensAt"
        error={error}
        type="datetime-local"
        value={d.registrationOpensAt}
        onChange={set("registrationOpensAt")}
        required
      />
      <Field
        label="Registration closes"
        field="registrationClosesAt"
        error={error}
        type="datetime-local"
        value={d.registrationClosesAt}
        onChange={set("registrationClosesAt")}
        required
      />
      <Field
        label="Check-in opens (optional)"
        field="checkinOpensAt"
        error={error}
        type="datetime-local"
        value={d.checkinOpensAt}
        onChange={set("checkinOpensAt")}
      />
      <Field
        label="Check-in closes (optional)"
        field="checkinClosesAt"
        error={error}
        type="datetime-local"
        value={d.checkinClosesAt}
        onChange={set("checkinClosesAt")}
      />
      <Field
        label="Starts"
        field="startsAt"
        error={error}
        type="datetime-local"
        value={d.startsAt}
        onChange={set("startsAt")}
        required
      />
      <Field
        label="Entry fee"
        field="entryFeeCents"
        error={error}
        type="number"
        min={0}
        step="0.01"
        value={d.entryFee}
        onChange={set("entryFee")}
      />
      <Field
        label="Currency"
        field="currency"
        error={error}
        value={d.currency}
        onChange={set("currency")}
        maxLength={3}
      />
      <TextArea
        label="Description"
        field="description"
        error={error}
        value={d.description}
        onChange={set("description")}
      />
      <TextArea label="Rules" field="rules" error={error} value={d.rules} onChange={set("rules")} />
      <TextArea
        label="Prizes"
        field="prizeDescription"
        error={error}
        value={d.prizeDescription}
        onChange={set("prizeDescription")}
      />

      <fieldset>
        <legend>Registration form fields</legend>
        {d.customFields.map((f, i) => (
          <div className="row" key={i} role="group" aria-label={`Field ${i + 1}`}>
            <Field
              label={`Field ${i + 1} key`}
              field={`customFields.${i}.key`}
              error={error}
              value={f.key}
              onChange={(e) => setField(i, { key: e.target.value })}
            />
            <Field
              label={`Field ${i + 1} label`}
              field={`customFields.${i}.label`}
              error={error}
              value={f.label}
              onChange={(e) => setField(i, { label: e.target.value })}
            />
            <SelectField
              label={`Field ${i + 1} kind`}
              field={`customFields.${i}.kind`}
              error={error}
              value={f.kind}
              onChange={(e) => setField(i, { kind: e.target.value as FieldKind })}
              options={KINDS}
            />
            {f.kind === "select" && (
              <Field
                label={`Field ${i + 1} choices (comma-separated)`}
                field={`customFields.${i}.options`}
                error={error}
                value={f.options}
                onChange={(e) => setField(i, { options: e.target.value })}
              />
            )}
            <div className="field checkbox">
              <input
                id={`cf-req-${i}`}
                type="checkbox"
                checked={f.required}
                onChange={(e) => setField(i, { required: e.target.checked })}
              />
              <label htmlFor={`cf-req-${i}`}>Field {i + 1} required</label>
            </div>
            <button
              type="button"
              onClick={() => setD({ ...d, customFields: d.customFields.filter((_, j) => j !== i) })}
            >
              Remove field {i + 1}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            setD({
              ...d,
              customFields: [...d.customFields, { key: "", label: "", kind: "text", required: false, options: "" }],
            })
          }
        >
          Add a field
        </button>
      </fieldset>

      <fieldset>
        <legend>Sponsors</legend>
        {d.sponsors.map((s, i) => (
          <div className="row" key={i} role="group" aria-label={`Sponsor ${i + 1}`}>
            <Field
              label={`Sponsor ${i + 1} name`}
              field={`sponsors.${i}.name`}
              error={error}
              value={s.name}
              onChange={(e) => setSponsor(i, { name: e.target.value })}
            />
            <Field
              label={`Sponsor ${i + 1} website`}
              field={`sponsors.${i}.url`}
              error={error}
              value={s.url}
              onChange={(e) => setSponsor(i, { url: e.target.value })}
            />
            <button type="button" onClick={() => setD({ ...d, sponsors: d.sponsors.filter((_, j) => j !== i) })}>
              Remove sponsor {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setD({ ...d, sponsors: [...d.sponsors, { name: "", url: "" }] })}>
          Add a sponsor
        </button>
      </fieldset>
      <FormError message={formMessage(error, [...TOP_FIELDS, ...nestedPaths])} />
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}

function TextArea({
  label,
  field,
  error,
  ...rest
}: { label: string; field: string; error: unknown } & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const messages = fieldMessages(error, field);
  const id = `ta-${field}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={field} rows={3} aria-invalid={messages.length > 0 || undefined} {...rest} />
      {messages.length > 0 && (
        <p className="field-error" role="alert">
          {messages.join(" ")}
        </p>
      )}
    </div>
  );
}
