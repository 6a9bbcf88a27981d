import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Field, SelectField } from "../components/field.tsx";
import { ErrorState, FormError, Loading } from "../components/status.tsx";
import { fieldMessages, formMessage, messageOf } from "../lib/errors.ts";
import { useTRPC } from "../lib/trpc.ts";
import { entryStatus, money, type Registration, type Tournament } from "./format.ts";

/** Team roles that may register a team (the API's TEAM_PERMISSIONS.registerTournaments). */
const REGISTERING_ROLES = new Set(["owner", "manager", "captain"]);
const LIVE = new Set(["pending", "confirmed", "waitlisted"]);

/** After any change to an entry: the viewer's entries, the public list and the counts. */
function useRefreshEntries(slug: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tournaments.viewer.queryKey({ slug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tournaments.bySlug.queryKey({ slug }) }),
      queryClient.invalidateQueries({ queryKey: trpc.registrations.list.pathKey() }),
    ]);
}

/** The signed-in viewer's side of a tournament: their entries, and the form to add one. */
export function RegistrationPanel({ t, entries }: { t: Tournament; entries: Registration[] }) {
  const live = entries.filter((e) => LIVE.has(e.status));
  return (
    <section aria-labelledby="registration-heading">
      <h2 id="registration-heading">Your registration</h2>
      {live.map((e) => (
        <Entry key={e.id} t={t} entry={e} />
      ))}
      {t.status === "registration_open" ? (
        <RegisterForm
          t={t}
          registeredTeams={new Set(live.map((e) => e.team?.slug ?? ""))}
          hasSolo={live.some((e) => !e.team)}
        />
      ) : (
        live.length === 0 && <p className="muted">Registration is not open.</p>
      )}
    </section>
  );
}

function Entry({ t, entry }: { t: Tournament; entry: Registration }) {
  const trpc = useTRPC();
  const refresh = useRefreshEntries(t.slug);
  const who = entry.team?.name ?? `@${entry.user.username}`;
  const withdraw = useMutation(trpc.registrations.withdraw.mutationOptions({ onSuccess: () => refresh() }));
  const checkIn = useMutation(trpc.registrations.checkIn.mutationOptions({ onSuccess: () => refresh() }));
  const now = Date.now();
  const checkinOpen =
    t.checkinOpensAt !== null &&
    t.checkinClosesAt !== null &&
    Date.parse(t.checkinOpensAt) <= now &&
    now <= Date.parse(t.checkinClosesAt) &&
    (t.status === "registration_open" || t.status === "registration_closed");
  const started = !["draft", "published", "registration_open", "registration_closed"].includes(t.status);
  return (
    <article className="entry" aria-label={`Entry of ${who}`} data-testid="my-entry">
      <h3>{who}</h3>
      <p data-testid="entry-status">{entryStatus(entry)}</p>
      {t.entryFeeCents > 0 && t.paymentMethod === "reference" && <Payment t={t} entry={entry} />}
      {t.entryFeeCents > 0 && t.paymentMethod === "wallet" && (
        <p>
          The entry fee of {t.entryFeeCents} coins is charged from your wallet when the organizer confirms the entry.
        </p>
      )}
      {entry.status === "confirmed" && t.checkinOpensAt && !entry.checkedInAt && (
        <>
          {checkinOpen ? (
            <button
              type="button"
              onClick={() => checkIn.mutate({ registrationId: entry.id })}
              disabled={checkIn.isPending}
            >
              Check in {who}
            </button>
          ) : (
            <p className="muted">Check-in opens {new Date(t.checkinOpensAt).toLocaleString("en-GB")}.</p>
          )}
          <FormError message={checkIn.error ? messageOf(checkIn.error) : null} />
        </>
      )}
      {!started && (
        <>
          <button
            type="button"
            className="danger"
            onClick={() => {
              if (window.confirm(`Withdraw ${who} from ${t.name}?`)) withdraw.mutate({ registrationId: entry.id });
            }}
            disabled={withdraw.isPending}
          >
            Withdraw {who}
          </button>
          <FormError message={withdraw.error ? messageOf(withdraw.error) : null} />
        </>
      )}
    </article>
  );
}

function Payment({ t, entry }: { t: Tournament; entry: Registration }) {
  const trpc = useTRPC();
  const refresh = useRefreshEntries(t.slug);
  const [reference, setReference] = useState("");
  const submit = useMutation(
    trpc.registrations.submitPayment.mutationOptions({
      onSuccess: () => {
        setReference("");
        return refresh();
      },
    }),
  );
  const p = entry.payment;
  const canSubmit = p === null || p.status === "rejected";
  return (
    <div className="payment">
      <p data-testid="payment-status">
        Entry fee {money(t.entryFeeCents, t.currency)}:{" "}
        {p === null
          ? "not paid yet"
          : p.status === "submitted"
            ? `payment ${p.reference} awaiting the organizer's review`
            : p.status === "verified"
              ? `payment ${p.reference} verified`
              : `payment ${p.reference} rejected${p.note ? ` (${p.note})` : ""}`}
      </p>
      {canSubmit && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit.mutate({ registrationId: entry.id, reference });
          }}
        >
          <Field
            label="Payment reference"
            field="reference"
            error={submit.error}
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            required
          />
          <FormError message={formMessage(submit.error, ["reference"])} />
          <button type="submit" disabled={submit.isPending}>
            Submit payment
          </button>
        </form>
      )}
    </div>
  );
}

type Values = Record<string, string | boolean>;

/** The registration form, generated from the tournament's own fields; the server's messages at each field. */
function RegisterForm({
  t,
  registeredTeams,
  hasSolo,
}: {
  t: Tournament;
  registeredTeams: Set<string>;
  hasSolo: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshEntries(t.slug);
  const teams = useQuery({ ...trpc.teams.mine.queryOptions({ limit: 50 }), enabled: t.participantType === "team" });
  const eligible = (teams.data?.items ?? []).filter(
    (tm) => REGISTERING_ROLES.has(tm.role) && tm.game.slug === t.game.slug && !registeredTeams.has(tm.slug),
  );
  const [teamSlug, setTeamSlug] = useState("");
  const [values, setValues] = useState<Values>({});
  const register = useMutation(
    trpc.registrations.register.mutationOptions({
      onSuccess: () => {
        setValues({});
        setTeamSlug("");
        return refresh();
      },
    }),
  );
  if (t.participantType === "solo" && hasSolo) return null;
  // The team pick is part of the form: no form until the viewer's teams are known.
  if (t.participantType === "team" && teams.isPending) return <Loading what="your teams" />;
  if (t.participantType === "team" && teams.isError) return <ErrorState error={teams.error} retry={teams.refetch} />;
  if (t.participantType === "team" && teams.isSuccess && eligible.length === 0)
    return <p className="muted">You have no team you may register for {t.game.name} (owner, manager or captain).</p>;
  const chosenTeam = teamSlug || eligible[0]?.slug || "";
  const fieldPaths = ["teamSlug", ...t.customFields.map((f) => `fields.${f.key}`)];

  return (
    <form
      className="register-form"
      aria-label="Register"
      onSubmit={(e) => {
        e.preventDefault();
        const fields: Record<string, string | number | boolean> = {};
        for (const f of t.customFields) {
          const v = values[f.key];
          if (v === undefined || v === "") continue;
          fields[f.key] =
            f.kind === "number" && typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v;
        }
        register.mutate({
          tournamentSlug: t.slug,
          teamSlug: t.participantType === "team" ? chosenTeam : undefined,
          fields,
        });
      }}
    >
      {t.participantType === "team" && (
        <SelectField
          label="Team"
          field="teamSlug"
          error={register.error}
          value={chosenTeam}
          onChange={(e) => setTeamSlug(e.target.value)}
          options={eligible.map((tm) => ({ value: tm.slug, label: tm.name }))}
        />
      )}
      {t.customFields.map((f) => (
        <CustomField
          key={f.key}
          def={f}
          value={values[f.key]}
          error={register.error}
          onChange={(v) => setValues({ ...values, [f.key]: v })}
        />
      ))}
      <FormError message={formMessage(register.error, fieldPaths)} />
      <button type="submit" disabled={register.isPending}>
        {t.entriesCount >= t.capacity ? "Join the waitlist" : "Register"}
      </button>
    </form>
  );
}

function CustomField({
  def,
  value,
  error,
  onChange,
}: {
  def: Tournament["customFields"][number];
  value: string | boolean | undefined;
  error: unknown;
  onChange: (v: string | boolean) => void;
}) {
  const id = useId();
  const path = `fields.${def.key}`;
  const label = def.required ? def.label : `${def.label} (optional)`;
  if (def.kind === "select")
    return (
      <SelectField
        label={label}
        field={path}
        error={error}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value)}
        options={[{ value: "", label: "Choose…" }, ...def.options.map((o) => ({ value: o, label: o }))]}
      />
    );
  if (def.kind === "checkbox") {
    const messages = fieldMessages(error, path);
    return (
      <div className="field checkbox">
        <input
          id={id}
          type="checkbox"
          name={path}
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={messages.length ? `${id}-error` : undefined}
        />
        <label htmlFor={id}>{label}</label>
        {messages.length > 0 && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {messages.join(" ")}
          </p>
        )}
      </div>
    );
  }
  return (
    <Field
      label={label}
      field={path}
      error={error}
      type={def.kind === "number" ? "number" : "text"}
      value={typeof value === "string" ? value : ""}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
