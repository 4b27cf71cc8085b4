"use client";
import { useCallback, useEffect, useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import type { SuiteOutcome } from "@/server/flow-testing/test-suite";
import { TestCasesView, type RunState, type TestCaseRow } from "./test-cases-panel-view";

type Props = {
  flowId: string;
  canManage: boolean;
  /** Saves what is pending and runs the flow's test cases against the draft; resolves to the results or the reason they did not run. */
  onRun(): Promise<SuiteOutcome | string>;
};

/** The "Tests" tab: loads the flow's test cases each time it opens, so a case saved from the inbox meanwhile shows up. */
export function TestCasesPanel({ flowId, canManage, onRun }: Props) {
  const [cases, setCases] = useState<TestCaseRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [run, setRun] = useState<RunState>(null);

  const reload = useCallback(() => {
    api.flowTests.list
      .query({ flowId })
      .then((rows) => {
        setCases(rows);
        setError(null);
      })
      .catch((e) => setError(describeError(e).message));
  }, [flowId]);
  useEffect(reload, [reload]);

  async function runTests() {
    setRun({ kind: "running" });
    const result = await onRun();
    setRun(typeof result === "string" ? { kind: "failed", message: result } : { kind: "done", outcome: result });
  }

  async function remove(testCaseId: string) {
    await api.flowTests.delete.mutate({ testCaseId });
    setCases((rows) => rows?.filter((c) => c.id !== testCaseId) ?? null);
    // The last run's counts included the deleted case.
    setRun((r) => (r?.kind === "running" ? r : null));
  }

  if (!cases) {
    return (
      <section data-testid="test-cases-panel" className={error ? "alert" : "muted"} role={error ? "alert" : undefined}>
        {error ?? "Loading test cases…"}
      </section>
    );
  }
  return <TestCasesView cases={cases} canManage={canManage} run={run} now={new Date()} onRun={() => void runTests()} onDelete={remove} />;
}
