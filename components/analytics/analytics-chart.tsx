"use client";
import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartSpec } from "./table-spec";

/** One chart of the analytics page; its numbers are also in the table next to it, for keyboards and screen readers. */
export function AnalyticsChart({ spec, label }: { spec: ChartSpec; label: string }) {
  const router = useRouter();
  const open = (index: number, key: string) => {
    const href = spec.links?.[index]?.[key] ?? spec.links?.[index]?.["*"];
    if (href) router.push(href);
  };
  const horizontal = spec.kind === "horizontal-bars";
  const height = horizontal ? Math.max(160, spec.data.length * 34 + 40) : 260;
  return (
    <div role="img" aria-label={`${label} (chart; the table below holds the same numbers)`} style={{ width: "100%", height }}>
      <ResponsiveContainer>
        {spec.kind === "lines" ? (
          <LineChart data={spec.data}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey={spec.categoryKey} fontSize={12} />
            <YAxis fontSize={12} unit={spec.unit} />
            <Tooltip />
            <Legend />
            {spec.series.map((s) => (
              <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} dot={false} connectNulls />
            ))}
          </LineChart>
        ) : (
          <BarChart data={spec.data} layout={horizontal ? "vertical" : "horizontal"}>
            <CartesianGrid strokeDasharray="3 3" />
            {horizontal ? <XAxis type="number" fontSize={12} /> : <XAxis dataKey={spec.categoryKey} fontSize={12} />}
            {horizontal ? <YAxis type="category" dataKey={spec.categoryKey} width={140} fontSize={12} /> : <YAxis fontSize={12} unit={spec.unit} />}
            <Tooltip />
            {spec.series.length > 1 ? <Legend /> : null}
            {spec.series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="stack" fill={s.color} cursor={spec.links ? "pointer" : undefined} onClick={(_, index) => open(index, s.key)} />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
