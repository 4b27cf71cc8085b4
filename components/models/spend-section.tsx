"use client";
import { AnalyticsChart } from "@/components/analytics/analytics-chart";
import styles from "@/components/analytics/analytics.module.css";
import type { ModelSpend } from "@/server/models/spend-queries";
import { budgetUsage, FAILURE_WORDS, fallbackRate, modelLabel, perModelRows, spendChart } from "./spend-view";

const PER_MODEL_COLUMNS = ["Provider and model", "Calls", "Fallbacks", "Failures", "Tokens in", "Tokens out", "Cost"];
const ms = (v: number | null) => (v === null ? "–" : `${v} ms`);

function Tile({ label, value, testId, hint }: { label: string; value: string; testId: string; hint?: string }) {
  return (
    <div className={styles.tile}>
      <p className={styles.tileLabel}>{label}</p>
      <p className={styles.tileValue} data-testid={testId}>{value}</p>
      {hint ? <p className={styles.tileHint}>{hint}</p> : null}
    </div>
  );
}

/** Spend per day and per model over the last 30 UTC days, the month against the budget, fallbacks, latency and failures. */
export function SpendSection({ spend }: { spend: ModelSpend }) {
  const budget = budgetUsage(spend.month);
  const rate = fallbackRate(spend.fallback);
  return (
    <section className="card" aria-labelledby="spend-title" data-testid="models-spend">
      <h2 id="spend-title">Spend and health</h2>
      <p className="muted">The last 30 days in UTC, from every model call your bots made.</p>

      <div data-testid="budget-usage">
        <h3>This month</h3>
        {budget ? (
          <>
            <progress max={100} value={budget.percent} aria-label="Monthly budget used" style={{ width: "100%" }} />
            <p>{budget.text}</p>
          </>
        ) : (
          <p>No budget set. Set a monthly budget under Routing to cap what the bots may spend.</p>
        )}
      </div>

      <div className={styles.tiles}>
        <Tile label="Fallback rate" testId="fallback-rate" value={rate ?? "No calls yet"} hint="Calls another model answered after the first failed" />
        <Tile label="Latency p50" testId="latency-p50" value={ms(spend.latency.p50_ms)} />
        <Tile label="Latency p95" testId="latency-p95" value={ms(spend.latency.p95_ms)} />
        <Tile label="First token p50" testId="ttft-p50" value={ms(spend.latency.ttft_p50_ms)} />
      </div>

      <h3>Spend per day</h3>
      {spend.perDay.length === 0 ? (
        <p data-testid="models-spend-empty">No spend in the last 30 days: no model has answered yet.</p>
      ) : (
        <>
          <div data-testid="models-spend-chart">
            <AnalyticsChart spec={spendChart(spend)} label="Spend per day by provider and model" />
          </div>
          <div className={`scroll-x ${styles.tableBox}`}>
            <table data-testid="models-spend-table">
              <caption className={styles.caption}>Spend by provider and model, last 30 days</caption>
              <thead>
                <tr>{PER_MODEL_COLUMNS.map((c) => <th key={c} scope="col">{c}</th>)}</tr>
              </thead>
              <tbody>
                {perModelRows(spend).map((row, i) => (
                  <tr key={i}>{row.cells.map((cell, j) => <td key={j}>{cell}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h3>Latency by model</h3>
      {spend.latencyPerModel.length === 0 ? (
        <p className="muted">No answered calls yet.</p>
      ) : (
        <div className="scroll-x">
          <table data-testid="models-latency-table">
            <thead>
              <tr>{["Provider and model", "Answered calls", "p50", "p95", "First token p50"].map((c) => <th key={c} scope="col">{c}</th>)}</tr>
            </thead>
            <tbody>
              {spend.latencyPerModel.map((r) => (
                <tr key={`${r.provider}:${r.model}`}>
                  <td>{modelLabel(r.provider, r.model)}</td>
                  <td>{r.calls}</td>
                  <td>{ms(r.p50_ms)}</td>
                  <td>{ms(r.p95_ms)}</td>
                  <td>{ms(r.ttft_p50_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>Failures by reason</h3>
      {spend.failures.length === 0 ? (
        <p className="muted" data-testid="models-failures-empty">No failures in the last 30 days.</p>
      ) : (
        <table data-testid="models-failures-table">
          <thead>
            <tr><th scope="col">Reason</th><th scope="col">Count</th></tr>
          </thead>
          <tbody>
            {spend.failures.map((f) => (
              <tr key={f.reason}><td>{FAILURE_WORDS[f.reason] ?? f.reason}</td><td>{f.count}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
