import { boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { tenants } from "./tenants";

export const PROVIDER_KINDS = ["openai", "anthropic", "openai_compatible"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export const providerConfigs = pgTable(
  "provider_configs",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: PROVIDER_KINDS }).notNull(),
    name: text("name").notNull(),
    model: text("model").notNull(),
    /** Further models this connection serves (a routing chain may name any of them); `model` is its first. */
    models: text("models").array().notNull().default([]),
    baseUrl: text("base_url"),
    apiKeyEnc: text("api_key_enc").notNull(),
    apiKeyHint: text("api_key_hint").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    // The last "test connection" result: only a connection that answered counts as connected.
    lastTestedAt: timestamp("last_tested_at", { withTimezone: true }),
    lastTestOk: boolean("last_test_ok"),
    lastTestError: text("last_test_error"),
    /** Set when the provider refused the key (401/403) in a real call; the router skips it until the key is replaced. */
    keyInvalidAt: timestamp("key_invalid_at", { withTimezone: true }),
    keyInvalidReason: text("key_invalid_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("provider_configs_tenant_idx").on(t.tenantId)],
);
