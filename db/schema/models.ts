import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { tenants } from "./tenants";

const cents = (name: string) => numeric(name, { precision: 14, scale: 6, mode: "number" });

/** A tenant's model routing: the chain tried in order, a cap per request and a monthly budget (null: none). */
export const modelPolicies = pgTable("model_policies", {
  tenantId: uuid("tenant_id").primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
  /** "provider:model" entries, e.g. "openai:gpt-4o-mini"; empty: every connected model, the default first. */
  chain: jsonb("chain").$type<string[]>().notNull().default([]),
  maxCostCents: cents("max_cost_cents"),
  monthlyBudgetCents: cents("monthly_budget_cents"),
  updatedAt: updatedAt(),
});

/** Spend per tenant per calendar month (UTC): `reserved_cents` holds the worst case of calls in flight. */
export const modelBudgetMonths = pgTable(
  "model_budget_months",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    month: date("month", { mode: "string" }).notNull(),
    spentCents: cents("spent_cents").notNull().default(0),
    reservedCents: cents("reserved_cents").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month] })],
);

/** Prices a tenant sets for models the repo's price table does not know (self-hosted ones). */
export const modelPrices = pgTable(
  "model_prices",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    /** "provider:model" as in a chain. */
    model: text("model").notNull(),
    inputCentsPerMtok: cents("input_cents_per_mtok").notNull(),
    outputCentsPerMtok: cents("output_cents_per_mtok").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.model] })],
);

export const MODEL_CALL_STATUSES = ["ok", "failed", "stream_interrupted", "budget_exhausted", "over_request_cap", "unpriced", "no_model"] as const;
export type ModelCallStatus = (typeof MODEL_CALL_STATUSES)[number];

/** One model call of a turn (all its attempts), as the router decided and the providers answered. */
export const modelCalls = pgTable(
  "model_calls",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id"),
    /** The outbound message the call answered with, when it is stored. */
    messageId: uuid("message_id"),
    status: text("status", { enum: MODEL_CALL_STATUSES }).notNull(),
    provider: text("provider"),
    model: text("model"),
    fallbackApplied: boolean("fallback_applied").notNull().default(false),
    /** [{ provider, model, error_class, status, latency_ms, message }] in the order tried. */
    attempts: jsonb("attempts").notNull().default([]),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costCents: cents("cost_cents").notNull().default(0),
    latencyMs: integer("latency_ms").notNull().default(0),
    ttftMs: integer("ttft_ms"),
    priceTableVersion: text("price_table_version").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("model_calls_tenant_created_idx").on(t.tenantId, t.createdAt), index("model_calls_conversation_idx").on(t.conversationId)],
);

/** model_calls summed per tenant, UTC day, provider and model; written with each call. */
export const modelSpendDays = pgTable(
  "model_spend_days",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    calls: integer("calls").notNull().default(0),
    fallbacks: integer("fallbacks").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costCents: cents("cost_cents").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.provider, t.model] })],
);
