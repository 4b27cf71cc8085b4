"use client";
import type { inferRouterOutputs } from "@trpc/server";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { ConfirmButton } from "@/components/confirm-button";
import { timeAgo } from "@/lib/time-ago";
import { api, describeError } from "@/lib/trpc-client";
import { diffFlows } from "@/server/flow-store/flow-diff";
import type { FlowDefinitionInput } from "@/server/flows/flow-schema";
import type { AppRouter } from "@/server/trpc/root";
import { VersionDiff } from "./version-diff";
import styles from "./versions-panel.module.css";

type VersionRow = inferRouterOutputs<AppRouter>["flows"]["versions"][number];
type Props = { flowId: string; canManage: boolean; liveVersion: number | null; currentDefinition: FlowDefinitionInput; onRolledBack(version: number): void };
/** What the selected version is compared with. */
type Against = "previous" | "draft" | number;

const PAGE = 50;

/** The older side first, so the diff reads as what changed going forward; null when there is nothing to compare. */
function comparison(selected: number, against: Against, versions: VersionRow[]): { before: number | "draft"; after: number | "draft"; title: string } | null {
  if (against === "draft") return { before: selected, after: "draft", title: `Changes from v${selected} to the draft` };
  const other = against === "previous" ? versions.find((v) => v.version < selected)?.version : against;
  if (other === undefined) return null;
  const [older, newer] = other < selected ? [other, selected] : [selected, other];
  return { before: older, after: newer, title: `Changes from v${older} to v${newer}` };
}

/**
 * Every published version of the flow (none is ever dropped; the list renders PAGE at a time), with a
 * diff of any version against the one before it, the draft or any other version, and roll back.
 * Definitions are fetched when a comparison needs them and kept: versions never change.
 */
export function VersionsPanel({ flowId, canManage, liveVersion, currentDefinition, onRolledBack }: Props) {
  const [versions, setVersions] = useState<VersionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(PAGE);
  const [selected, setSelected] = useState<number | null>(null);
  const [against, setAgainst] = useState<Against>("previous");
  const [definitions, setDefinitions] = useState<ReadonlyMap<number, FlowDefinitionInput>>(new Map());
  const requested = useRef(new Set<number>());
  // The diff against the draft follows edits without holding up typing in the editor.
  const draft = useDeferredValue(currentDefinition);

  const reload = useCallback(() => {
    api.flows.versions
      .query({ flowId })
      .then((rows) => {
        setVersions(rows);
        setError(null);
      })
      .catch((e) => setError(describeError(e).message));
  }, [flowId]);
  useEffect(reload, [reload, liveVersion]);

  const current = selected ?? versions?.[0]?.version ?? null;
  const pair = current === null || !versions ? null : comparison(current, against, versions);

  const [beforeSide, afterSide] = [pair?.before, pair?.after];
  useEffect(() => {
    for (const side of [beforeSide, afterSide]) {
      if (side === undefined || side === "draft" || requested.current.has(side)) continue;
      requested.current.add(side);
      api.flows.version
        .query({ flowId, version: side })
        .then((v) => setDefinitions((known) => new Map(known).set(side, v.definition as FlowDefinitionInput)))
        .catch((e) => {
          requested.current.delete(side);
          setError(describeError(e).message);
        });
    }
  }, [flowId, beforeSide, afterSide]);

  const definitionOf = (side: number | "draft") => (side === "draft" ? draft : definitions.get(side));
  const before = pair ? definitionOf(pair.before) : undefined;
  const after = pair ? definitionOf(pair.after) : undefined;
  const diff = useMemo(() => (before && after ? diffFlows(before, after) : null), [before, after]);

  function pick(version: number) {
    setSelected(version);
    // A version is not compared with itself.
    if (against === version) setAgainst("previous");
  }

  async function rollBack(version: number) {
    const restored = await api.flows.rollback.mutate({ flowId, version });
    setSelected(restored.version);
    setAgainst("previous");
    reload();
    onRolledBack(restored.version);
  }

  if (error && !versions) return <section data-testid="flow-versions" className="alert" role="alert">{error}</section>;
  if (!versions) return <section data-testid="flow-versions" className="muted">Loading versions…</section>;
  const now = new Date();
  return (
    <section data-testid="flow-versions" className={styles.panel} aria-label="Versions">
      {versions.length === 0 ? <p className="muted">No versions yet: publishing the draft makes v1.</p> : null}
      <ol className={styles.list}>
        {versions.slice(0, shown).map((v) => (
          <li
            key={v.version}
            data-testid="flow-version-row"
            aria-label={`v${v.version}`}
            className={v.version === current ? `${styles.row} ${styles.selected}` : styles.row}
          >
            <div className="row">
              <button type="button" className={styles.pick} aria-pressed={v.version === current} onClick={() => pick(v.version)} title={`Compare v${v.version}`}>
                v{v.version}
              </button>
              {v.live ? <span className="badge" data-testid="live-version">Live</span> : null}
              <span className="muted" title={v.createdAt.toLocaleString()}>
                {v.createdBy ?? "a former member"} · {timeAgo(v.createdAt, now)}
              </span>
              {v.restoredFrom !== null ? <span className="muted">restored from v{v.restoredFrom}</span> : null}
              {canManage && !v.live ? (
                <ConfirmButton
                  label="Roll back"
                  question={`Roll back to v${v.version}? This publishes v${v.version}'s definition as a new version and replaces your draft with it.`}
                  confirmLabel={`Roll back to v${v.version}`}
                  testId="rollback-version"
                  onConfirm={() => rollBack(v.version)}
                />
              ) : null}
            </div>
            {v.note ? <p className={styles.note}>{v.note}</p> : null}
          </li>
        ))}
      </ol>
      {versions.length > shown ? (
        <button type="button" className="secondary" onClick={() => setShown((n) => n + PAGE)}>
          Show more ({versions.length - shown} older)
        </button>
      ) : null}
      {current !== null ? (
        <>
          <label className="field">
            <span>Compare v{current}</span>
            <select
              data-testid="version-compare"
              value={String(against)}
              onChange={(e) => setAgainst(e.target.value === "previous" || e.target.value === "draft" ? e.target.value : Number(e.target.value))}
            >
              <option value="previous">against the previous version</option>
              <option value="draft">against the draft</option>
              {versions
                .filter((v) => v.version !== current)
                .map((v) => (
                  <option key={v.version} value={v.version}>
                    against v{v.version}
                  </option>
                ))}
            </select>
          </label>
          {error ? <p className="alert" role="alert">{error}</p> : null}
          {pair ? (
            <VersionDiff diff={diff} title={pair.title} />
          ) : (
            <section data-testid="version-diff" aria-label={`v${current}`} className="muted">
              v{current} is the first version: there is nothing before it to compare with.
            </section>
          )}
        </>
      ) : null}
    </section>
  );
}
