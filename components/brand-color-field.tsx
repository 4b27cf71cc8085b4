"use client";
import { useState } from "react";
import { HEX_COLOR, HEX_COLOR_MESSAGE, toSixDigitHex } from "@/server/channels/hex-color";

type Props = { name: string; initial: string; errors?: string[]; label?: string; testId?: string; invalidMessage?: string };

/**
 * A colour picker and a typed hex code for the same colour, kept in step both ways. The typed field is the one
 * submitted; while it holds no valid colour the picker keeps showing the last valid one.
 */
export function BrandColorField({ name, initial, errors, label = "Brand colour", testId = "widget-color", invalidMessage = HEX_COLOR_MESSAGE }: Props) {
  const [typed, setTyped] = useState(initial);
  const [picked, setPicked] = useState(HEX_COLOR.test(initial) ? toSixDigitHex(initial) : "#4f46e5");
  const [touched, setTouched] = useState(false);
  const valid = HEX_COLOR.test(typed.trim());
  // Only the format can be wrong here, so a valid colour clears the message from the last save too.
  const message = valid ? null : touched || errors?.length ? (errors?.[0] ?? invalidMessage) : null;
  const errorId = `${name}-error`;

  function type(value: string) {
    setTyped(value);
    if (HEX_COLOR.test(value.trim())) setPicked(toSixDigitHex(value.trim()));
  }

  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <div className="row">
        <input
          type="color"
          aria-label={`Pick the ${label.toLowerCase()}`}
          data-testid={testId}
          value={picked}
          onChange={(e) => {
            setPicked(e.target.value);
            setTyped(e.target.value);
          }}
        />
        <input
          id={name}
          name={name}
          data-testid={`${testId}-hex`}
          value={typed}
          onChange={(e) => type(e.target.value)}
          onBlur={() => setTouched(true)}
          maxLength={7}
          spellCheck={false}
          autoComplete="off"
          placeholder="#4f46e5"
          aria-invalid={Boolean(message)}
          aria-describedby={message ? errorId : undefined}
          style={{ width: "8rem" }}
        />
      </div>
      {message ? (
        <span className="error" id={errorId} role="alert">
          {message}
        </span>
      ) : null}
    </div>
  );
}
