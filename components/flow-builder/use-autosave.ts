"use client";
import { TRPCClientError } from "@trpc/client";
import { useCallback, useEffect, useRef, useState } from "react";
import type { FlowDoc } from "@/lib/flow-builder/document";
import { issuesIn } from "@/components/flow-issue-list";
import { api, describeError } from "@/lib/trpc-client";
import { autosaveReducer, hasUnsaved, initialAutosave, wantsSave, type AutosaveEvent, type SaveStatus } from "./autosave-machine";

/** After the last change: long enough that typing a word is one save, short enough that a closed tab loses little. */
export const AUTOSAVE_DELAY_MS = 800;

type Options = {
  flowId: string;
  doc: FlowDoc;
  /** What the server holds and its revision, as the page loaded it. */
  stored: FlowDoc;
  revision: number;
  /** Members never save. */
  enabled: boolean;
};

const isConflict = (error: unknown) => error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "CONFLICT";

// A refused shape comes with its problems, which the issue list under the canvas already names.
const failure = (error: unknown) => (issuesIn(error).length > 0 ? "fix the errors listed under the canvas first." : describeError(error).message);

/**
 * Saves the draft a moment after each change, based on the revision it last saw: when someone else
 * saved in between, the server refuses and the conflict waits for the author's choice.
 */
export function useAutosave({ flowId, doc, stored, revision, enabled }: Options) {
  const machine = useRef(initialAutosave(stored, revision, doc));
  const [status, setStatus] = useState<SaveStatus>(machine.current.status);
  const current = useRef(doc);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<Promise<void> | null>(null);

  const dispatch = useCallback((event: AutosaveEvent) => {
    machine.current = autosaveReducer(machine.current, event);
    setStatus(machine.current.status);
  }, []);

  const cancelTimer = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  const save = useCallback(async (): Promise<void> => {
    cancelTimer();
    if (!enabled || !wantsSave(machine.current)) return;
    const sending = current.current;
    dispatch({ type: "sent", doc: sending });
    const request = (async () => {
      try {
        const saved = await api.flows.saveDraft.mutate({ flowId, definition: sending.definition, canvas: sending.canvas, baseRevision: machine.current.revision });
        dispatch({ type: "stored", doc: sending, revision: saved.draftRevision, current: current.current });
      } catch (error) {
        dispatch(isConflict(error) ? { type: "conflicted", message: describeError(error).message } : { type: "failed", message: failure(error) });
      }
    })();
    inFlight.current = request;
    await request;
    inFlight.current = null;
  }, [cancelTimer, dispatch, enabled, flowId]);

  const schedule = useCallback(() => {
    cancelTimer();
    if (enabled && wantsSave(machine.current)) timer.current = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  }, [cancelTimer, enabled, save]);

  useEffect(() => {
    current.current = doc;
    dispatch({ type: "edited", doc });
    schedule();
  }, [doc, dispatch, schedule]);

  // Edits made while a save was out are saved after it: the "stored" event left the status at unsaved.
  useEffect(() => {
    if (status.kind === "unsaved") schedule();
  }, [status, schedule]);

  useEffect(() => {
    if (!enabled) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (!hasUnsaved(machine.current, current.current)) return;
      event.preventDefault();
      // Older browsers show their leave-page question only when returnValue is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [enabled]);

  /** Saves whatever is pending now (publishing needs the stored draft to be this one); "saved" when it is. */
  const flush = useCallback(async (): Promise<SaveStatus> => {
    // A few rounds at most: each one waits for a save, and edits may land while it is out.
    for (let rounds = 0; enabled && rounds < 3; rounds++) {
      if (inFlight.current) await inFlight.current;
      if (!wantsSave(machine.current)) break;
      await save();
    }
    return machine.current.status;
  }, [enabled, save]);

  // Leaving the editor inside the app (a link, the back button) sends what is not stored yet: what the
  // debounce still held, or edits made while a save was out (flush waits for that save first).
  useEffect(
    () => () => {
      cancelTimer();
      if (hasUnsaved(machine.current, current.current)) void flush();
    },
    [cancelTimer, flush],
  );

  /** "Keep mine": rebase on the revision now stored, then save over it. */
  const overwriteMine = useCallback(async () => {
    try {
      const fresh = await api.flows.get.query({ flowId });
      dispatch({ type: "rebased", revision: fresh.draftRevision });
      await save();
    } catch (error) {
      dispatch({ type: "failed", message: failure(error) });
    }
  }, [dispatch, flowId, save]);

  /** The server's draft replaced the page's (their version loaded, a version rolled back). */
  const reset = useCallback(
    (doc: FlowDoc, revision: number) => {
      cancelTimer();
      dispatch({ type: "loaded", doc, revision });
    },
    [cancelTimer, dispatch],
  );

  const retry = useCallback(() => {
    dispatch({ type: "retried" });
    void save();
  }, [dispatch, save]);

  return { status, flush, overwriteMine, reset, retry };
}
