import { date, index, integer, numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { CHANNEL_TYPES } from "./channels";
import { tenants } from "./tenants";

/*
 * Analytics rollups, one row per tenant and local day (the tenant's time zone) and key. They are rebuilt
 * per (tenant, day) from the raw rows by an idempotent refresh (server/analytics/refresh-rollups.ts), so the
 * analytics page never scans messages. Sandbox conversations (the dashboard's test widget) are left out.
 * Message facts count on the day the message was written; conversation facts on the day it started.
 */

const tenant = () => uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" });

export const rollupMessageDays = pgTable(
  "rollup_message_days",
  {
    tenantId: tenant(),
    day: date("day").notNull(),
    channel: text("channel", { enum: CHANNEL_TYPES }).notNull(),
    inbound: integer("inbound").notNull(),
    outbound: integer("outbound").notNull(),
    /** Outbound messages written by a person (agent replies). */
    agentOutbound: integer("agent_outbound").notNull(),
    /** Inbound messages the bot answered (not while a person had the conversation). */
    botTurns: integer("bot_turns").notNull(),
    notUnderstood: integer("not_understood").notNull(),
    modelCalls: integer("model_calls").notNull(),
    costCents: numeric("cost_cents", { precision: 14, scale: 6, mode: "number" }).notNull(),
  },
  (t) => [index("rollup_message_days_key").on(t.tenantId, t.day)],
);

export const rollupConversationDays = pgTable(
  "rollup_conversation_days",
  {
    tenantId: tenant(),
    day: date("day").notNull(),
    channel: text("channel", { enum: CHANNEL_TYPES }).notNull(),
    started: integer("started").notNull(),
    handedOff: integer("handed_off").notNull(),
    /** Conversations a person wrote in: the complement of containment. */
    humanAnswered: integer("human_answered").notNull(),
    resolved: integer("resolved").notNull(),
  },
  (t) => [index("rollup_conversation_days_key").on(t.tenantId, t.day)],
);

/** One row per end user active on a day; `first_day` is the local day of their first conversation ever. */
export const rollupUserDays = pgTable(
  "rollup_user_days",
  {
    tenantId: tenant(),
    day: date("day").notNull(),
    endUserId: text("end_user_id").notNull(),
    firstDay: date("first_day").notNull(),
  },
  (t) => [index("rollup_user_days_key").on(t.tenantId, t.day)],
);

/** Inbound messages per intent the classifier recognised (message day). */
export const rollupIntentDays = pgTable(
  "rollup_intent_days",
  {
    tenantId: tenant(),
    day: date("day").notNull(),
    intent: text("intent").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [index("rollup_intent_days_key").on(t.tenantId, t.day)],
);

export const DURATION_METRICS = ["bot_latency_ms", "first_response_s", "resolution_s"] as const;
export type DurationMetric = (typeof DURATION_METRICS)[number];

/**
 * Exact distributions: how many times each whole value occurred, so percentiles over any range of days are
 * exact. bot_latency_ms counts on the message day; first_response_s and resolution_s (from the handoff, people
 * only) on the conversation's start day.
 */
export const rollupDurations = pgTable(
  "rollup_durations",
  {
    tenantId: tenant(),
    day: date("day").notNull(),
    metric: text("metric", { enum: DURATION_METRICS }).notNull(),
    value: integer("value").notNull(),
    count: integer("count").notNull(),
  },
  // Covering (value, count) so a range's percentiles read the index alone.
  (t) => [index("rollup_durations_key").on(t.tenantId, t.metric, t.day, t.value)],
);

/** Conversations (by start day) that entered each state of each flow version. */
export const rollupFunnelDays = pgTable(
  "rollup_funnel_days",
  {
    tenantId: tenant(),
    day: date("day").notNull(),
    flowVersionId: uuid("flow_version_id"),
    state: text("state").notNull(),
    reached: integer("reached").notNull(),
  },
  (t) => [index("rollup_funnel_days_key").on(t.tenantId, t.day)],
);

/** Everything written before `refreshed_through` (less a safety overlap) is in the rollups. */
export const rollupWatermarks = pgTable("rollup_watermarks", {
  tenantId: uuid("tenant_id").primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
  refreshedThrough: timestamp("refreshed_through", { withTimezone: true }).notNull(),
});
