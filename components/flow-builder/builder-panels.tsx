"use client";
import { useEffect, useMemo } from "react";
import { parseEdgeId } from "@/lib/flow-builder/canvas-view";
import type { FlowDoc } from "@/lib/flow-builder/document";
import { removeStates, renameIntent, renameState, setEntityLists, setInitialState, setIntents, setSample, updateState } from "@/lib/flow-builder/edits";
import { sampleFor } from "@/server/flow-store/canvas-meta";
import type { SuiteOutcome } from "@/server/flow-testing/test-suite";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import type { FlowIssue } from "@/server/flows/validate-flow";
import type { EditableFlow, FocusRequest } from "./flow-builder";
import type { CanvasSelection } from "./flow-canvas";
import { flowSlots } from "./flow-slots";
import { ghostTarget } from "./selection-edits";
import { IntentsPanel } from "./intents-panel";
import { issuesByState, type PanelTab } from "./issue-route";
import { JsonView } from "./json-view";
import { SidePanel } from "./side-panel";
import { StatePanel } from "./state-panel";
import { TestCasesPanel } from "./test-cases-panel";
import { TryItPanel } from "./try-it-panel";
import { VersionsPanel } from "./versions-panel";
import styles from "./flow-builder.module.css";

type Edit = (change: (doc: FlowDoc) => FlowDoc, coalesceKey?: string) => void;

/**
 * An edit that may be refused (a rename to a taken name): tried on the document shown, so the refusal
 * is answered at once, then applied as one undo step to the document the edit receives.
 */
function refusableEdit(doc: FlowDoc, edit: Edit, attempt: (doc: FlowDoc) => { doc: FlowDoc } | { error: string }): string | null {
  const tried = attempt(doc);
  if ("error" in tried) return tried.error;
  edit((d) => {
    const again = attempt(d);
    return "doc" in again ? again.doc : d;
  });
  return null;
}

type Props = {
  flow: EditableFlow;
  canManage: boolean;
  doc: FlowDoc;
  valid: boolean;
  issues: FlowIssue[];
  tab: PanelTab;
  onTab(tab: PanelTab): void;
  selection: CanvasSelection;
  focus: FocusRequest | null;
  edit: Edit;
  select(nodes: string[]): void;
  onActiveState(name: string | null): void;
  onRolledBack(): void;
  onApplyJson(definition: FlowDefinitionInput): void;
  /** Saves the draft and runs the flow's test cases against it (the publish dialog runs the same). */
  onRunTests(): Promise<SuiteOutcome | string>;
};

// Constants, so a draft without intents or lists hands the panels the same objects every render.
const NO_INTENTS: NonNullable<FlowDefinitionInput["intents"]> = {};
const NO_LISTS: Record<string, string[]> = {};
const NO_ISSUES: FlowIssue[] = [];

/** The tabs beside the canvas, wired to the document: every change goes through `edit`, so undo covers it. */
export function BuilderPanels(props: Props) {
  const { flow, canManage, doc, edit } = props;
  const readOnly = !canManage;
  const byState = useMemo(() => issuesByState(props.issues), [props.issues]);
  // Keyed by the names themselves: editing a state's content keeps the same arrays.
  const namesKey = JSON.stringify(Object.keys(doc.definition.states));
  const stateNames = useMemo(() => JSON.parse(namesKey) as string[], [namesKey]);
  const intents = doc.definition.intents ?? NO_INTENTS;
  const intentNames = useMemo(() => Object.keys(intents), [intents]);
  const lists = doc.definition.entities?.lists ?? NO_LISTS;
  const listNames = useMemo(() => Object.keys(lists), [lists]);
  const slotsKey = JSON.stringify(flowSlots(doc.definition.states));
  const slotNames = useMemo(() => JSON.parse(slotsKey) as string[], [slotsKey]);

  function render(tab: PanelTab) {
    switch (tab) {
      case "state":
        return <StateTab {...props} byState={byState} stateNames={stateNames} intentNames={intentNames} listNames={listNames} slotNames={slotNames} />;
      case "intents":
        return (
          <IntentsPanel
            intents={intents}
            lists={lists}
            readOnly={readOnly}
            onIntentsChange={(next, key) => edit((d) => setIntents(d, next), key)}
            onListsChange={(next, key) => edit((d) => setEntityLists(d, next), key)}
            onRenameIntent={(from, to) => refusableEdit(doc, edit, (d) => renameIntent(d, from, to))}
          />
        );
      case "try":
        return <TryItPanel flowId={flow.id} doc={doc} valid={props.valid} onActiveState={props.onActiveState} />;
      case "versions":
        return <VersionsPanel flowId={flow.id} canManage={canManage} liveVersion={flow.liveVersion} currentDefinition={doc.definition} onRolledBack={props.onRolledBack} />;
      case "tests":
        return <TestCasesPanel flowId={flow.id} canManage={canManage} onRun={props.onRunTests} />;
      case "json":
        return <JsonView definition={doc.definition} readOnly={readOnly} onApply={props.onApplyJson} />;
    }
  }

  return <SidePanel tab={props.tab} onTab={props.onTab} canManage={canManage} render={render} />;
}

type StateTabProps = Props & { byState: Map<string, FlowIssue[]>; stateNames: string[]; intentNames: string[]; listNames: string[]; slotNames: string[] };

/** The selected state's form; a selected transition opens its source state, scrolled to that transition. */
function StateTab({ doc, selection, focus, canManage, edit, select, byState, stateNames, intentNames, listNames, slotNames }: StateTabProps) {
  const states = doc.definition.states;
  const edge = selection.nodes.length === 0 && selection.edges.length === 1 ? parseEdgeId(selection.edges[0]!) : null;
  const single = selection.nodes.length === 1 ? selection.nodes[0]! : null;
  const name = single !== null && Object.hasOwn(states, single) ? single : edge && Object.hasOwn(states, edge.source) ? edge.source : null;

  useEffect(() => {
    if (!edge) return;
    // Scrolled to, not focused: Delete must still remove the selected transition.
    document.querySelector(`[data-testid="state-panel"] [data-field="transitions.${edge.index}"]`)?.scrollIntoView({ block: "nearest" });
  }, [edge?.source, edge?.index]);

  if (name === null) return <StateHint selection={selection} readOnly={!canManage} />;
  const state = states[name]!;
  return (
    <StatePanel
      key={name}
      name={name}
      state={state}
      stateNames={stateNames}
      intentNames={intentNames}
      listNames={listNames}
      slotNames={slotNames}
      isInitial={doc.definition.initial_state === name}
      issues={byState.get(name) ?? NO_ISSUES}
      focusField={focus?.state === name ? focus.target : null}
      readOnly={!canManage}
      sample={sampleFor(doc.canvas.samples, name)}
      onChange={(next, key) => edit((d) => updateState(d, name, next), key)}
      onRename={(to) => {
        const refused = refusableEdit(doc, edit, (d) => renameState(d, name, to));
        if (refused === null) select([to.trim()]);
        return refused;
      }}
      onSetInitial={() => edit((d) => setInitialState(d, name))}
      onDelete={() => {
        edit((d) => removeStates(d, [name]));
        select([]);
      }}
      onSampleChange={(sample) => edit((d) => setSample(d, name, sample), `sample:${name}`)}
    />
  );
}

function StateHint({ selection, readOnly }: { selection: CanvasSelection; readOnly: boolean }) {
  const missing = selection.nodes.length === 1 ? ghostTarget(selection.nodes[0]!) : null;
  return (
    <div className={styles.hint} data-testid="state-hint">
      {missing !== null ? (
        <p>{`No state is called "${missing}", but transitions lead to it. Rename a state to "${missing}", or change those transitions' target.`}</p>
      ) : selection.nodes.length > 1 ? (
        <p>{`${selection.nodes.length} states selected.${readOnly ? "" : " Ctrl+C copies them, Delete removes them, dragging one moves them all."}`}</p>
      ) : (
        <>
          <p>Select a state on the canvas to see {readOnly ? "its settings" : "and edit its settings"}.</p>
          {readOnly ? null : (
            <p>
              Add states from the palette (click, or drag one onto the canvas). Connect two states by dragging from the dot under one onto the
              other. Ctrl+Z undoes, Ctrl+Shift+Z redoes.
            </p>
          )}
        </>
      )}
    </div>
  );
}
