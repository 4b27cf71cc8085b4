import { sql, type SQL } from "drizzle-orm";
import type { ModelCallRecord } from "../flows/ports";
import { toCents, toMicroCents } from "./model-cost";
import { budgetMonth } from "./router/budget";

export type CallRecordsWrite = {
  tenantId: string;
  conversationId: string;
  /** The reply the calls answered with; null when the turn stored none. */
  messageId: string | null;
  now: Date;
  records: ModelCallRecord[];
};

type SpendRow = { provider: string; model: string; calls: number; fallbacks: number; failures: number; input: number; output: number; micro: number };

/** Per provider and model, the day's sums; a call that tried nothing (no model connected) has nothing to sum under. */
function spendRows(records: ModelCallRecord[]): SpendRow[] {
  const rows = new Map<string, SpendRow>();
  for (const r of records) {
    const provider = r.provider ?? r.attempts[0]?.provider;
    const model = r.model ?? r.attempts[0]?.model;
    if (!provider || !model) continue;
    const row = rows.get(`${provider}:${model}`) ?? { provider, model, calls: 0, fallbacks: 0, failures: 0, input: 0, output: 0, micro: 0 };
    row.calls += 1;
    row.fallbacks += r.fallback_applied ? 1 : 0;
    row.failures += r.status === "ok" ? 0 : 1;
    row.input += r.input_tokens;
    row.output += r.output_tokens;
    row.micro += toMicroCents(r.cost_cents);
    rows.set(`${provider}:${model}`, row);
  }
  return [...rows.values()];
}

/**
 * The CTEs that store a turn's model calls inside its one closing statement (persist-turn.ts):
 * a model_calls row per call, the day's model_spend_days sums, the month's durable spend
 * (model_budget_months) and the marks of keys a provider refused. None for a turn without calls,
 * so such turns' statement does not grow.
 */
export function callRecordCtes(w: CallRecordsWrite): SQL[] {
  if (w.records.length === 0) return [];
  const at = sql`${w.now.toISOString()}::timestamptz`;
  const day = w.now.toISOString().slice(0, 10);
  const ctes: SQL[] = [];
  const calls = w.records.map(
    (r) => sql`(${w.tenantId}::uuid, ${w.conversationId}::uuid, ${w.messageId}::uuid, ${r.status}, ${r.provider}, ${r.model}, ${r.fallback_applied}, ${JSON.stringify(r.attempts)}::jsonb,
      ${r.input_tokens}::int, ${r.output_tokens}::int, ${r.cost_cents}::numeric, ${r.latency_ms}::int, ${r.ttft_ms}::int, ${r.price_table_version}, ${at})`,
  );
  ctes.push(sql`model_call_rows as (insert into model_calls (tenant_id, conversation_id, message_id, status, provider, model, fallback_applied, attempts, input_tokens, output_tokens, cost_cents, latency_ms, ttft_ms, price_table_version, created_at)
    values ${sql.join(calls, sql`, `)})`);
  const spend = spendRows(w.records);
  if (spend.length) {
    const rows = spend.map((s) => sql`(${w.tenantId}::uuid, ${day}::date, ${s.provider}, ${s.model}, ${s.calls}::int, ${s.fallbacks}::int, ${s.failures}::int, ${s.input}::int, ${s.output}::int, ${toCents(s.micro)}::numeric)`);
    ctes.push(sql`model_spend as (insert into model_spend_days (tenant_id, day, provider, model, calls, fallbacks, failures, input_tokens, output_tokens, cost_cents) values ${sql.join(rows, sql`, `)}
      on conflict (tenant_id, day, provider, model) do update set calls = model_spend_days.calls + excluded.calls, fallbacks = model_spend_days.fallbacks + excluded.fallbacks,
        failures = model_spend_days.failures + excluded.failures, input_tokens = model_spend_days.input_tokens + excluded.input_tokens,
        output_tokens = model_spend_days.output_tokens + excluded.output_tokens, cost_cents = model_spend_days.cost_cents + excluded.cost_cents)`);
  }
  const spent = toCents(spend.reduce((sum, s) => sum + s.micro, 0));
  if (spent > 0) {
    ctes.push(sql`model_budget as (insert into model_budget_months (tenant_id, month, spent_cents, updated_at) values (${w.tenantId}::uuid, ${budgetMonth(w.now)}::date, ${spent}::numeric, ${at})
      on conflict (tenant_id, month) do update set spent_cents = model_budget_months.spent_cents + excluded.spent_cents, updated_at = excluded.updated_at)`);
  }
  const refused = w.records.flatMap((r) => r.invalid_keys ?? []);
  if (refused.length) {
    const rows = refused.map((k) => sql`(${k.connection_id}::uuid, ${k.reason})`);
    ctes.push(sql`refused_keys as (update provider_configs p set key_invalid_at = ${at}, key_invalid_reason = v.reason from (values ${sql.join(rows, sql`, `)}) as v(id, reason)
      where p.id = v.id and p.tenant_id = ${w.tenantId}::uuid)`);
  }
  return ctes;
}
