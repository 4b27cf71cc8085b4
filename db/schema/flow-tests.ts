import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import { flows } from "./flows";
import { tenants } from "./tenants";
import { users } from "./users";

/** A stored conversation saved as a regression test of its flow: each turn's input and what the bot did then. */
export const flowTestCases = pgTable(
  "flow_test_cases",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull().references(() => flows.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    sourceConversationId: uuid("source_conversation_id"),
    /** The shape is server/flow-testing's test-case schema (turns with input, expected replies/state/intent/slots, recorded model answers). */
    turns: jsonb("turns").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("flow_test_cases_flow_name_key").on(t.flowId, t.name), index("flow_test_cases_tenant_idx").on(t.tenantId)],
);

/** One run of a flow's test cases against a version (a number) or the draft (null). */
export const flowTestRuns = pgTable(
  "flow_test_runs",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull().references(() => flows.id, { onDelete: "cascade" }),
    version: integer("version"),
    draftRevision: integer("draft_revision"),
    passed: integer("passed").notNull(),
    failed: integer("failed").notNull(),
    /** Per case: pass/fail and the per-turn diff; plus the per-intent metrics. */
    results: jsonb("results").notNull(),
    trigger: text("trigger", { enum: ["publish", "manual", "cli"] }).notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("flow_test_runs_flow_idx").on(t.flowId, t.createdAt)],
);
