import type { AnalyticsPage } from "@/server/analytics/analytics-queries";
import styles from "./analytics.module.css";
import { count, dollars, duration, millis, percent } from "./formats";

type Tile = { name: string; label: string; value: string; hint: string };

function tiles(s: AnalyticsPage["summary"]): Tile[] {
  return [
    { name: "conversations", label: "Conversations", value: count(s.conversations), hint: "Started in the range" },
    { name: "messages", label: "Messages", value: count(s.messages.inbound + s.messages.outbound), hint: `${count(s.messages.inbound)} from users, ${count(s.messages.outbound)} replies` },
    { name: "active-users", label: "Active users", value: count(s.active_users.total), hint: `${count(s.active_users.new)} new, ${count(s.active_users.returning)} returning` },
    { name: "containment-rate", label: "Containment", value: percent(s.containment_rate), hint: "Conversations no person had to write in" },
    { name: "handoff-rate", label: "Handoff rate", value: percent(s.handoff_rate), hint: "Conversations handed to your team" },
    { name: "first-response", label: "First human response", value: duration(s.first_response_s.p50), hint: `Median from handoff to an agent's first reply; p95 ${duration(s.first_response_s.p95)}` },
    { name: "resolution-time", label: "Time to resolution", value: duration(s.resolution_s.p50), hint: `Median from handoff to resolved; p95 ${duration(s.resolution_s.p95)}` },
    { name: "not-understood-rate", label: "Not understood", value: percent(s.not_understood_rate), hint: "Of the messages the bot answered" },
    { name: "latency-p50", label: "Bot latency p50", value: millis(s.latency_ms.p50), hint: "Half of the bot's answers took at most this" },
    { name: "latency-p95", label: "Bot latency p95", value: millis(s.latency_ms.p95), hint: "95% of the bot's answers took at most this" },
    { name: "spend", label: "Model spend", value: dollars(s.spend.cost_cents), hint: `${count(s.spend.model_calls)} model calls` },
  ];
}

export function MetricTiles({ summary }: { summary: AnalyticsPage["summary"] }) {
  return (
    <div className={styles.tiles}>
      {tiles(summary).map((t) => (
        <div key={t.name} className={styles.tile} data-testid={`metric-${t.name}`}>
          <p className={styles.tileLabel}>{t.label}</p>
          <p className={styles.tileValue}>{t.value}</p>
          <p className={styles.tileHint}>{t.hint}</p>
        </div>
      ))}
    </div>
  );
}
