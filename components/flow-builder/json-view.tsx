"use client";
import { useState } from "react";
import { FlowIssueList } from "@/components/flow-issue-list";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import { draftShapeProblems } from "@/server/flow-store/draft-shape";
import type { FlowIssue } from "@/server/flows/validate-flow";

type Props = { definition: FlowDefinitionInput; readOnly: boolean; onApply(definition: FlowDefinitionInput): void };

/** The draft as JSON, for power users: edit, Apply (one undo step), or copy it somewhere else. */
export function JsonView({ definition, readOnly, onApply }: Props) {
  const [shown, setShown] = useState(definition);
  const [text, setText] = useState(() => JSON.stringify(definition, null, 2));
  const [edited, setEdited] = useState(false);
  const [problems, setProblems] = useState<FlowIssue[]>([]);
  const [parseError, setParseError] = useState<string | null>(null);

  // Edits made elsewhere (canvas, panels, undo) show here, unless the author is midway through editing this text.
  if (shown !== definition && !edited) {
    setShown(definition);
    setText(JSON.stringify(definition, null, 2));
  }

  function apply() {
    setProblems([]);
    setParseError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setParseError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    const found = draftShapeProblems(parsed);
    if (found.length > 0) {
      setProblems(found);
      return;
    }
    setEdited(false);
    onApply(parsed as FlowDefinitionInput);
  }

  function discard() {
    setEdited(false);
    setProblems([]);
    setParseError(null);
    setShown(definition);
    setText(JSON.stringify(definition, null, 2));
  }

  return (
    <section aria-label="Draft as JSON">
      <div className="field">
        <label htmlFor="flow-draft">Definition (JSON)</label>
        <textarea
          id="flow-draft"
          data-testid="flow-draft"
          rows={24}
          spellCheck={false}
          value={text}
          readOnly={readOnly}
          onChange={(e) => {
            setText(e.target.value);
            setEdited(true);
          }}
        />
      </div>
      {parseError ? (
        <p className="alert" role="alert" data-testid="json-error">
          {parseError}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <>
          <p className="alert" role="alert" data-testid="json-error">
            Not applied: this is not a flow definition yet. Fix these and apply again.
          </p>
          <FlowIssueList issues={problems} testId="json-problems" />
        </>
      ) : null}
      {readOnly ? null : (
        <div className="row">
          <button type="button" data-testid="apply-json" disabled={!edited} onClick={apply}>
            Apply
          </button>
          <button type="button" className="secondary" data-testid="discard-json" disabled={!edited} onClick={discard}>
            Discard changes
          </button>
        </div>
      )}
    </section>
  );
}
