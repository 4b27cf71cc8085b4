import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { tenants } from "./tenants";

export const CHANNEL_TYPES = ["web", "whatsapp", "slack", "messenger"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

// settings holds what the dashboard may show; secretsEnc holds tokens, AES-GCM encrypted.
export const channels = pgTable(
  "channels",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type", { enum: CHANNEL_TYPES }).notNull(),
    enabled: boolean("enabled").notNull().default(false),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    secretsEnc: text("secrets_enc"),
    publicKey: text("public_key").notNull(),
    // Set when the platform's webhook verification handshake succeeded; a messaging channel is not set up before.
    webhookVerifiedAt: timestamp("webhook_verified_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("channels_tenant_type_key").on(t.tenantId, t.type),
    uniqueIndex("channels_public_key_key").on(t.publicKey),
    // /widget.js finds the widgets that name the page's origin (findWebChannelsNamingOrigin).
    index("channels_web_allowed_origins_idx")
      .using("gin", sql`(${t.settings} -> 'allowed_origins')`)
      .where(sql`type = 'web' and enabled`),
  ],
);
