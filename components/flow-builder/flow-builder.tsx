"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useRouter } from "next/navigation";
import { useCallback, useMemo, useRef, useState } from "react";
import { toCanvas, type CanvasView } from "@/lib/flow-builder/canvas-view";
import { copyStates, pasteStates, type Fragment } from "@/lib/flow-builder/clipboard";
import type { FlowDoc, Position } from "@/lib/flow-builder/document";
import { addState, moveNodes } from "@/lib/flow-builder/edits";
import { canRedo, canUndo, createHistory, record, redo, undo } from "@/lib/flow-builder/history";
import { autoLayout, NODE_HEIGHT, NODE_WIDTH, placeMissing } from "@/lib/flow-builder/layout";
import { api, describeError } from "@/lib/trpc-client";
import type { SuiteOutcome } from "@/server/flow-testing/test-suite";
import type { StateType, TransitionCondition } from "@/server/flows/flow-schema";
import { validateFlow, type FlowIssue } from "@/server/flows/validate-flow";
import type { AppRouter } from "@/server/trpc/root";
import { statusText } from "./autosave-machine";
import { BuilderPanels } from "./builder-panels";
import { ConnectDialog, type ConnectRequest } from "./connect-dialog";
import { connectWith } from "./connect-options";
import { FlowCanvas, type CanvasSelection, type SelectRequest } from "./flow-canvas";
import { IssuePanel } from "./issue-panel";
import { issueTarget, type PanelTab } from "./issue-route";
import { Palette } from "./palette";
import { freeSpot } from "./placement";
import { PublishDialog } from "./publish-dialog";
import { publishProblem, type PublishProblem } from "./publish-refusal";
import { deleteSelected } from "./selection-edits";
import type { Shortcut } from "./shortcuts";
import { Toolbar } from "./toolbar";
import { useAutosave } from "./use-autosave";
import { useShortcuts } from "./use-shortcuts";
import styles from "./flow-builder.module.css";

export type EditableFlow = inferRouterOutputs<AppRouter>["flows"]["get"];

type Props = { flow: EditableFlow; canManage: boolean; allowedHosts: string[] };

/** Where a click on an issue asked the state panel to put the cursor; the nonce repeats a click on the same issue. */
export type FocusRequest = { state: string; target: { field: string; nonce: number } };
type Notice = { kind: "ok" | "error"; text: string };

const FIT = { maxZoom: 1, padding: 0.1, duration: 300 };
const CANVAS = '[data-testid="flow-canvas"]';
const NO_SELECTION: CanvasSelection = { nodes: [], edges: [] };
const sameSelection = (a: CanvasSelection, b: CanvasSelection) => a.nodes.join("\n") === b.nodes.join("\n") && a.edges.join("\n") === b.edges.join("\n");
const storedDoc = (flow: Pick<EditableFlow, "draft" | "canvas">): FlowDoc => ({ definition: flow.draft, canvas: flow.canvas });

/** The flow editor: canvas, palette, panels and issue list over one document with undo, validated and autosaved as it changes. */
export function FlowBuilder(props: Props) {
  return (
    <ReactFlowProvider>
      <Builder {...props} />
    </ReactFlowProvider>
  );
}

function Builder({ flow, canManage, allowedHosts }: Props) {
  const router = useRouter();
  const flowApi = useReactFlow();
  const root = useRef<HTMLDivElement>(null);
  const readOnly = !canManage;

  // States without a position (an import, a template) are laid out once here; the autosave stores the result.
  const [loaded] = useState(() => ({ stored: storedDoc(flow), doc: placeMissing(storedDoc(flow)) }));
  const [history, setHistory] = useState(() => createHistory(loaded.doc));
  const doc = history.present;
  const autosave = useAutosave({ flowId: flow.id, doc, stored: loaded.stored, revision: flow.draftRevision, enabled: canManage });

  // The validator that guards publishing, on the definition of this render; moving nodes does not re-run it.
  const validation = useMemo(() => validateFlow(doc.definition, { allowedHosts }), [doc.definition, allowedHosts]);
  const issues = validation.ok ? validation.warnings : validation.issues;
  const errorCount = useMemo(() => issues.filter((i) => i.severity === "error").length, [issues]);
  const previousView = useRef<CanvasView | undefined>(undefined);
  const view = useMemo(() => {
    previousView.current = toCanvas(doc, issues, previousView.current);
    return previousView.current;
  }, [doc, issues]);

  const [selection, setSelection] = useState<CanvasSelection>(NO_SELECTION);
  const [selectRequest, setSelectRequest] = useState<SelectRequest | null>(null);
  const [tab, setTab] = useState<PanelTab>("state");
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const [activeState, setActiveState] = useState<string | null>(null);
  const [connecting, setConnecting] = useState<ConnectRequest | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const clipboard = useRef<{ fragment: Fragment; pastes: number } | null>(null);

  const edit = useCallback(
    (change: (doc: FlowDoc) => FlowDoc, coalesceKey?: string) => {
      if (!readOnly) setHistory((h) => record(h, change(h.present), { coalesceKey }));
    },
    [readOnly],
  );
  const select = useCallback((nodes: string[], edges: string[] = []) => setSelectRequest((r) => ({ nodes, edges, nonce: (r?.nonce ?? 0) + 1 })), []);

  const onSelectionChange = useCallback((next: CanvasSelection) => {
    setSelection((current) => (sameSelection(current, next) ? current : next));
    if (next.nodes.length > 0 || next.edges.length > 0) setTab("state");
    // A field focused from the issue list stays the target only while its state stays the selection.
    setFocus((f) => (f && next.nodes.length === 1 && next.nodes[0] === f.state ? f : null));
  }, []);

  const onMoved = useCallback(
    (positions: Record<string, Position>) =>
      edit((d) => {
        const moved = Object.entries(positions).filter(([name, p]) => d.canvas.positions[name]?.x !== p.x || d.canvas.positions[name]?.y !== p.y);
        return moved.length > 0 ? moveNodes(d, Object.fromEntries(moved)) : d;
      }),
    [edit],
  );

  const addAt = useCallback(
    (type: StateType, at: Position) => {
      if (readOnly) return;
      const added = addState(doc, type, freeSpot(doc.canvas.positions, at));
      setHistory((h) => record(h, added.doc));
      select([added.name]);
      setTab("state");
    },
    [doc, readOnly, select],
  );

  function addInView(type: StateType) {
    const box = root.current?.querySelector(CANVAS)?.getBoundingClientRect();
    const centre = box ? flowApi.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    addAt(type, { x: centre.x - NODE_WIDTH / 2, y: centre.y - NODE_HEIGHT / 2 });
  }

  const onConnectRequest = useCallback((source: string, target: string) => setConnecting((c) => ({ source, target, nonce: (c?.nonce ?? 0) + 1 })), []);
  function confirmConnect(condition: TransitionCondition, value: string) {
    if (!connecting) return;
    const { source, target } = connecting;
    edit((d) => connectWith(d, source, target, condition, value));
    setConnecting(null);
    select([source]);
  }

  const selectedStates = selection.nodes.filter((id) => Object.hasOwn(doc.definition.states, id));

  function deleteSelection(): boolean {
    if (selection.nodes.length === 0 && selection.edges.length === 0) return false;
    edit((d) => deleteSelected(d, selection));
    return true;
  }

  function copySelection(): boolean {
    if (selectedStates.length === 0) return false;
    const fragment = copyStates(doc, selectedStates);
    clipboard.current = { fragment, pastes: 0 };
    // Also as JSON for another tab or a text editor, where the browser allows it.
    void navigator.clipboard?.writeText(JSON.stringify(fragment, null, 2)).catch(() => undefined);
    return true;
  }

  function paste(): boolean {
    const held = clipboard.current;
    if (readOnly || !held) return false;
    held.pastes += 1;
    const offset = 40 * held.pastes;
    const pasted = pasteStates(doc, held.fragment, { x: offset, y: offset });
    setHistory((h) => record(h, pasted.doc));
    select(pasted.names);
    return true;
  }

  useShortcuts(root, CANVAS, (shortcut: Shortcut) => {
    if (shortcut === "copy") return copySelection();
    if (readOnly) return false;
    if (shortcut === "undo") setHistory(undo);
    if (shortcut === "redo") setHistory(redo);
    if (shortcut === "paste") return paste();
    if (shortcut === "delete") return deleteSelection();
    return true;
  });

  function layOut() {
    edit((d) => moveNodes(d, autoLayout(d)));
    // After React Flow has the new positions.
    requestAnimationFrame(() => requestAnimationFrame(() => void flowApi.fitView(FIT)));
  }

  const onIssue = useCallback(
    (issue: FlowIssue) => {
      const target = issueTarget(issue, (name) => Object.hasOwn(doc.definition.states, name));
      setTab(target.tab);
      if (target.tab !== "state") return;
      select([target.state]);
      setFocus((f) => (target.field ? { state: target.state, target: { field: target.field, nonce: (f?.target.nonce ?? 0) + 1 } } : null));
      void flowApi.fitView({ ...FIT, nodes: [{ id: target.state }] });
    },
    [doc.definition.states, flowApi, select],
  );

  /** The server's draft replaces the page's: their version after a conflict, or a version rolled back to. */
  async function reload(): Promise<void> {
    try {
      const fresh = await api.flows.get.query({ flowId: flow.id });
      const stored = storedDoc(fresh);
      autosave.reset(stored, fresh.draftRevision);
      setHistory(createHistory(placeMissing(stored)));
      select([]);
      router.refresh();
    } catch (error) {
      setNotice({ kind: "error", text: describeError(error).message });
    }
  }

  async function checkTests(): Promise<SuiteOutcome | string> {
    const saved = await autosave.flush();
    if (saved.kind !== "saved") return `The test cases did not run: the draft is not saved. ${statusText(saved)}`;
    try {
      return await api.flowTests.run.mutate({ flowId: flow.id, target: "draft" });
    } catch (error) {
      return describeError(error).message;
    }
  }

  async function publish(note: string, confirmFailures: boolean): Promise<PublishProblem | null> {
    const saved = await autosave.flush();
    if (saved.kind !== "saved") return { message: `Nothing was published: the draft is not saved. ${statusText(saved)}`, tests: null };
    try {
      const version = await api.flows.publish.mutate({ flowId: flow.id, ...(note && { note }), confirmFailures });
      setPublishing(false);
      const failures = version.tests.failed > 0 ? ` ${version.tests.failed} test case${version.tests.failed === 1 ? "" : "s"} failed against it.` : "";
      setNotice({ kind: "ok", text: `Published as version ${version.version}. New conversations get it from now on.${failures}` });
      router.refresh();
      return null;
    } catch (error) {
      return publishProblem(error);
    }
  }

  return (
    <div ref={root} className={`${styles.builder} ${readOnly ? styles.readOnly : ""}`} data-testid="flow-builder">
      <div className={styles.top}>
        <Toolbar
          readOnly={readOnly}
          canUndo={canUndo(history)}
          canRedo={canRedo(history)}
          onUndo={() => setHistory(undo)}
          onRedo={() => setHistory(redo)}
          onAutoLayout={layOut}
          onFitView={() => void flowApi.fitView(FIT)}
          save={autosave.status}
          onLoadTheirs={() => void reload()}
          onOverwriteMine={() => void autosave.overwriteMine()}
          onRetry={autosave.retry}
          errors={errorCount}
          onPublish={() => {
            setNotice(null);
            setPublishing(true);
          }}
        />
        {notice ? (
          <p className={notice.kind === "ok" ? "notice" : "alert"} role="status" data-testid="flow-status">
            {notice.text}
          </p>
        ) : null}
      </div>
      {readOnly ? null : <Palette onAdd={addInView} />}
      <FlowCanvas
        view={view}
        activeState={activeState}
        readOnly={readOnly}
        selectRequest={selectRequest}
        onSelectionChange={onSelectionChange}
        onMoved={onMoved}
        onConnectRequest={onConnectRequest}
        onDropType={addAt}
      />
      <IssuePanel issues={issues} onSelect={onIssue} />
      <BuilderPanels
        flow={flow}
        canManage={canManage}
        doc={doc}
        valid={validation.ok}
        issues={issues}
        tab={tab}
        onTab={setTab}
        selection={selection}
        focus={focus}
        edit={edit}
        select={select}
        onActiveState={setActiveState}
        onRolledBack={() => void reload()}
        onApplyJson={(definition) => edit((d) => placeMissing({ ...d, definition }))}
        onRunTests={checkTests}
      />
      <ConnectDialog request={connecting} doc={doc} onConfirm={confirmConnect} onCancel={() => setConnecting(null)} />
      <PublishDialog open={publishing} onCheck={checkTests} onPublish={publish} onClose={() => setPublishing(false)} />
    </div>
  );
}
