"use client";
import { useId, useState, type FormEvent } from "react";
import { conditionChoices, defaultCondition } from "@/lib/flow-builder/conditions";
import type { FlowDoc } from "@/lib/flow-builder/document";
import type { TransitionCondition } from "@/server/flows/flow-schema";
import { connectProblem, valueFieldFor } from "./connect-options";
import { ModalDialog } from "./modal-dialog";

/** A handle dragged from `source` onto `target`; the nonce tells two requests for the same pair apart. */
export type ConnectRequest = { source: string; target: string; nonce: number };

type Props = {
  request: ConnectRequest | null;
  doc: FlowDoc;
  onConfirm(condition: TransitionCondition, value: string): void;
  onCancel(): void;
};

/** Asks when the new transition applies: its condition and, where the condition needs one, the intent or slot. */
export function ConnectDialog({ request, doc, onConfirm, onCancel }: Props) {
  const state = request ? doc.definition.states[request.source] : undefined;
  return (
    <ModalDialog open={request !== null} testId="connect-dialog" labelledBy="connect-title" onClose={onCancel}>
      {request && state ? <ConnectForm key={request.nonce} request={request} doc={doc} onConfirm={onConfirm} onCancel={onCancel} /> : null}
    </ModalDialog>
  );
}

function ConnectForm({ request, doc, onConfirm, onCancel }: Props & { request: ConnectRequest }) {
  const id = useId();
  const state = doc.definition.states[request.source]!;
  const [condition, setCondition] = useState<TransitionCondition>(() => defaultCondition(state));
  const [value, setValue] = useState("");
  const [tried, setTried] = useState(false);
  const field = valueFieldFor(condition, state, doc.definition);
  const problem = connectProblem(condition, value, state, doc.definition);
  const addsIntent = field?.kind === "intent" && state.type === "intent" && value.trim() !== "" && !state.config.intent_patterns.includes(value.trim());

  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!problem) onConfirm(condition, value);
  }

  return (
    <form onSubmit={submit}>
      <h2 id="connect-title">{`From "${request.source}" to "${request.target}"`}</h2>
      <div className="field">
        <label htmlFor={`${id}-condition`}>When does the conversation take this way?</label>
        <select id={`${id}-condition`} data-testid="connect-condition" value={condition} onChange={(e) => setCondition(e.target.value as TransitionCondition)}>
          {conditionChoices(state.type).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      {field ? (
        <div className="field">
          <label htmlFor={`${id}-value`}>{field.kind === "intent" ? "Intent" : "Slot (optional)"}</label>
          <input
            id={`${id}-value`}
            data-testid="connect-value"
            list={`${id}-suggestions`}
            value={value}
            autoComplete="off"
            aria-invalid={tried && problem ? true : undefined}
            aria-describedby={`${id}-hint`}
            onChange={(e) => setValue(e.target.value)}
          />
          <datalist id={`${id}-suggestions`}>
            {field.suggestions.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <span id={`${id}-hint`} className={tried && problem ? "error" : "muted"}>
            {tried && problem
              ? problem
              : field.kind === "slot"
                ? "Leave empty to go on once every required slot is filled."
                : addsIntent
                  ? `"${value.trim()}" will be added to the intents this state listens for.`
                  : "Pick one of the flow's intents or type a new one."}
          </span>
        </div>
      ) : null}
      <div className="row">
        <button type="submit" data-testid="connect-confirm">
          Connect
        </button>
        <button type="button" className="secondary" data-testid="connect-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
