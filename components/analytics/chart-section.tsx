"use client";
import Link from "next/link";
import { toCsv } from "@/server/analytics/csv";
import { AnalyticsChart } from "./analytics-chart";
import styles from "./analytics.module.css";
import type { TableSpec } from "./table-spec";

function download(spec: TableSpec) {
  const csv = toCsv(spec.columns, spec.rows.map((r) => r.cells));
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = spec.fileName;
  a.click();
  URL.revokeObjectURL(url);
}

/** A chart (when there is one), the table of its numbers, and that table as CSV. */
export function ChartSection({ spec }: { spec: TableSpec }) {
  const empty = spec.rows.length === 0;
  return (
    <section className="card" aria-labelledby={`${spec.id}-title`} data-testid={`section-${spec.id}`}>
      <div className={styles.sectionHead}>
        <h2 id={`${spec.id}-title`}>{spec.title}</h2>
        <button type="button" className="secondary" onClick={() => download(spec)} disabled={empty} data-testid={`csv-${spec.id}`}>
          Download CSV
        </button>
      </div>
      <p className="muted">
        {spec.explanation}
        {spec.more ? (
          <>
            {" "}
            <Link href={spec.more.href}>{spec.more.label}</Link>
          </>
        ) : null}
      </p>
      {empty ? (
        <p data-testid={`empty-${spec.id}`}>{spec.empty}</p>
      ) : (
        <>
          {spec.chart ? <AnalyticsChart spec={spec.chart} label={spec.title} /> : null}
          <div className={`scroll-x ${styles.tableBox}`}>
            <table>
              <caption className={styles.caption}>{spec.caption}</caption>
              <thead>
                <tr>
                  {spec.columns.map((c) => (
                    <th key={c} scope="col">{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {spec.rows.map((row, i) => (
                  <tr key={i}>
                    {row.cells.map((cell, j) => {
                      const href = row.hrefs?.[j];
                      const text = cell === null ? "–" : String(cell);
                      return <td key={j}>{href ? <Link href={href}>{text}</Link> : text}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
