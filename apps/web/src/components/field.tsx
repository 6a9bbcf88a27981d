import { useId } from "react";
import { fieldMessages } from "../lib/errors.ts";

interface FieldProps extends React.InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** The input path the server names in `fieldErrors` for this field. */
  field: string;
  error: unknown;
}

/** A labelled input that shows the server's messages for its field, linked for screen readers. */
export function Field({ label, field, error, ...input }: FieldProps) {
  const id = useId();
  const messages = fieldMessages(error, field);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={field}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={messages.length ? `${id}-error` : undefined}
        {...input}
      />
      {messages.length > 0 && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {messages.join(" ")}
        </p>
      )}
    </div>
  );
}

interface SelectProps extends React.SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  field: string;
  error?: unknown;
  options: readonly { value: string; label: string }[];
}

export function SelectField({ label, field, error, options, ...select }: SelectProps) {
  const id = useId();
  const messages = fieldMessages(error, field);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={field} aria-invalid={messages.length > 0 || undefined} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {messages.length > 0 && (
        <p className="field-error" role="alert">
          {messages.join(" ")}
        </p>
      )}
    </div>
  );
}
