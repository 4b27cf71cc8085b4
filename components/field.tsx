import type { InputHTMLAttributes } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; testId?: string };

export function Field({ label, name, errors, testId, ...input }: Props) {
  const errorId = `${name}-error`;
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <input id={name} name={name} data-testid={testId} aria-invalid={Boolean(errors?.length)} aria-describedby={errors?.length ? errorId : undefined} {...input} />
      {errors?.length ? (
        <span className="error" id={errorId} role="alert">
          {errors[0]}
        </span>
      ) : null}
    </div>
  );
}
