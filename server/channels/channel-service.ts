import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { groupCalls, groupedPerKey } from "@/db/group-calls";
import { isConnectionError } from "@/db/pg-session";
import { channels, CHANNEL_TYPES, type ChannelType } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { decryptSecret, encryptSecret, randomToken, secretHint } from "../security/crypto";
import { recordAudit } from "../tenants/audit";
import { CHANNEL_SCHEMAS, WHATSAPP_REQUIRED, whatsappSettingsSchema } from "./channel-settings";
import { channelStatus } from "./channel-status";

export const channelUpdateSchema = z.object({
  type: z.enum(CHANNEL_TYPES).meta({ title: "Channel" }),
  enabled: z.boolean().meta({ title: "Enabled" }).optional(),
  // Checked against the channel type's own schema in upsertChannel, which labels each field.
  settings: z.record(z.string(), z.unknown()).meta({ title: "Settings" }).default({}),
  // A secret left out keeps its stored value, so the form never has to show it again.
  secrets: z.record(z.string(), z.string()).meta({ title: "Secrets" }).default({}),
});
export type ChannelUpdate = z.infer<typeof channelUpdateSchema>;

function toView(row: typeof channels.$inferSelect) {
  const secrets = row.secretsEnc ? (JSON.parse(decryptSecret(row.secretsEnc)) as Record<string, string>) : {};
  return {
    type: row.type,
    enabled: row.enabled,
    settings: row.settings,
    publicKey: row.publicKey,
    secretHints: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, secretHint(v)])),
    webhookVerifiedAt: row.webhookVerifiedAt,
    /** Where the platform posts events (messaging channels); prefix it with the app's public URL. */
    webhookPath: row.type === "web" ? null : webhookPath(row.type, row.publicKey),
    status: channelStatus(row),
    updatedAt: row.updatedAt,
  };
}
export type ChannelView = ReturnType<typeof toView>;

/** The channel's public key is its unguessable id in the webhook URL. */
export const webhookPath = (type: ChannelType, publicKey: string) => `/api/webhooks/${type}/${publicKey}`;

/** Fields a WhatsApp mode cannot work without, named as the form names them. */
function missingForMode(type: ChannelType, settings: unknown, secrets: Record<string, unknown>): Record<string, string> {
  if (type !== "whatsapp") return {};
  const parsed = whatsappSettingsSchema.safeParse(settings);
  if (!parsed.success) return {};
  const need = WHATSAPP_REQUIRED[parsed.data.mode];
  const settingsShape = whatsappSettingsSchema.shape as Record<string, { meta(): { title?: string } | undefined }>;
  const missing: Record<string, string> = {};
  for (const key of need.settings) if (!(parsed.data as Record<string, unknown>)[key]) missing[`settings.${key}`] = `${settingsShape[key]?.meta()?.title ?? key} is required in ${parsed.data.mode} mode`;
  for (const key of need.secrets) if (!secrets[key]) missing[`secrets.${key}`] = `${CHANNEL_SCHEMAS.whatsapp.secrets.shape[key].meta()?.title ?? key} is required in ${parsed.data.mode} mode`;
  return missing;
}

export async function listChannels(db: Db, tenantId: string): Promise<ChannelView[]> {
  const rows = await db.select().from(channels).where(eq(channels.tenantId, tenantId));
  return rows.map(toView);
}

export async function getChannel(db: Db, tenantId: string, type: ChannelType): Promise<ChannelView | null> {
  const [row] = await db.select().from(channels).where(and(eq(channels.tenantId, tenantId), eq(channels.type, type))).limit(1);
  return row ? toView(row) : null;
}

export async function getChannelSecrets(db: Db, tenantId: string, type: ChannelType): Promise<Record<string, string>> {
  const [row] = await db.select({ secretsEnc: channels.secretsEnc }).from(channels).where(and(eq(channels.tenantId, tenantId), eq(channels.type, type))).limit(1);
  return row?.secretsEnc ? JSON.parse(decryptSecret(row.secretsEnc)) : {};
}

// Stored JSON comes back with its keys reordered (jsonb), so values are compared key by key.
function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

function fieldErrors(error: z.ZodError, prefix: string) {
  return Object.fromEntries(error.issues.map((i) => [[prefix, ...i.path].join("."), i.message]));
}

/** Validates settings and secrets against the channel type's schema, merging with what is stored. */
export async function upsertChannel(db: Db, tenantId: string, actorUserId: string | null, update: ChannelUpdate): Promise<ChannelView> {
  const schemas = CHANNEL_SCHEMAS[update.type];
  const [existing] = await db.select().from(channels).where(and(eq(channels.tenantId, tenantId), eq(channels.type, update.type))).limit(1);
  const settings = schemas.settings.safeParse({ ...(existing?.settings ?? {}), ...update.settings });
  const storedSecrets = existing?.secretsEnc ? (JSON.parse(decryptSecret(existing.secretsEnc)) as Record<string, string>) : {};
  const nonEmpty = Object.fromEntries(Object.entries(update.secrets).filter(([, v]) => v.trim() !== ""));
  // A web channel's identity secret (for user_hash) is made with the channel and kept unless replaced.
  const generated = update.type === "web" && !storedSecrets.identity_secret ? { identity_secret: randomToken(32) } : {};
  const secrets = schemas.secrets.safeParse({ ...storedSecrets, ...generated, ...nonEmpty });
  const missing = settings.success && secrets.success ? missingForMode(update.type, settings.data, secrets.data) : {};
  if (!settings.success || !secrets.success || Object.keys(missing).length) {
    throw new AppError("VALIDATION_ERROR", "Some channel settings are invalid.", {
      fields: { ...(settings.success ? {} : fieldErrors(settings.error, "settings")), ...(secrets.success ? {} : fieldErrors(secrets.error, "secrets")), ...missing },
    });
  }
  // A verified webhook vouches for the credentials it was verified with; new ones need a new verification.
  const stored = existing ? schemas.settings.safeParse(existing.settings) : null;
  const sameCredentials = stored?.success === true && sameValues(stored.data, settings.data) && sameValues(storedSecrets, secrets.data);
  const values = {
    enabled: update.enabled ?? existing?.enabled ?? false,
    settings: settings.data as Record<string, unknown>,
    secretsEnc: Object.keys(secrets.data).length ? encryptSecret(JSON.stringify(secrets.data)) : null,
    webhookVerifiedAt: sameCredentials ? existing!.webhookVerifiedAt : null,
    updatedAt: new Date(),
  };
  const [row] = existing
    ? await db.update(channels).set(values).where(and(eq(channels.id, existing.id), eq(channels.tenantId, tenantId))).returning()
    : await db
        .insert(channels)
        .values({ tenantId, type: update.type, publicKey: `${update.type === "web" ? "wk" : "ch"}_${randomBytes(16).toString("base64url")}`, ...values })
        .onConflictDoNothing({ target: [channels.tenantId, channels.type] })
        .returning();
  // Two first saves at once (a double click, two tabs): the one that lost is applied on top of the one that won.
  if (!row) return upsertChannel(db, tenantId, actorUserId, update);
  await recordAudit(db, { tenantId, actorUserId, action: "channel.updated", targetType: "channel", targetId: update.type, details: { enabled: values.enabled } });
  return toView(row);
}

type ChannelRow = typeof channels.$inferSelect;

/** Lookups made while another is out share one select (db/group-calls.ts): a burst of webhooks reads its channels together. */
const findGrouped = groupedPerKey((db: Db) =>
  groupCalls(async (keys: { type: ChannelType; publicKey: string }[]): Promise<(ChannelRow | null)[]> => {
    const rows = await db.select().from(channels).where(inArray(channels.publicKey, [...new Set(keys.map((k) => k.publicKey))]));
    const byKey = new Map(rows.map((row) => [row.publicKey, row]));
    return keys.map((k) => {
      const row = byKey.get(k.publicKey);
      return row && row.type === k.type ? row : null;
    });
  }, 500, isConnectionError),
);

/** A messaging channel by the id in its webhook URL, with its secrets opened (null: no such channel). */
export async function findChannelForWebhook(db: Db, type: ChannelType, publicKey: string) {
  const row = await findGrouped(db, { type, publicKey });
  return row ? withOpenedSecrets(row) : null;
}

/** Opened secrets by their sealed text: a webhook or a send opens the same few values over and over. */
const opened = new Map<string, Readonly<Record<string, string>>>();
const MAX_OPENED = 1_000;

/** A sealed value always opens to the same secrets, so they are kept by it; new secrets are a new sealed value. */
export function openSecrets(sealed: string): Record<string, string> {
  let secrets = opened.get(sealed);
  if (!secrets) {
    secrets = Object.freeze(JSON.parse(decryptSecret(sealed)) as Record<string, string>);
    if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
    opened.set(sealed, secrets);
  }
  return { ...secrets };
}

/** A channel as its adapter sees it, secrets decrypted (webhooks, and the outbox's sends). */
export function withOpenedSecrets(row: ChannelRow) {
  const secrets = row.secretsEnc ? openSecrets(row.secretsEnc) : {};
  return { id: row.id, tenantId: row.tenantId, type: row.type, enabled: row.enabled, settings: row.settings, secrets, webhookVerifiedAt: row.webhookVerifiedAt, updatedAt: row.updatedAt };
}
export type WebhookChannel = ReturnType<typeof withOpenedSecrets>;

/**
 * The enabled web widgets whose allowed origins name `origin` exactly, across tenants: what a page on that
 * origin may embed, for /widget.js to hand over without a round trip. A widget open to every site names
 * no origin, so it is never listed (it fetches its config). Capped: a page embeds a widget or two.
 */
export async function findWebChannelsNamingOrigin(db: Db, origin: string, limit: number) {
  return db
    .select({ publicKey: channels.publicKey, settings: channels.settings })
    .from(channels)
    // Written as the index's own predicate (literals, not parameters), so a generic plan can still use it.
    .where(sql`${channels.type} = 'web' and ${channels.enabled} and ${channels.settings} -> 'allowed_origins' @> ${JSON.stringify([origin])}::jsonb`)
    .orderBy(channels.createdAt)
    .limit(limit);
}

/** The widget's public key identifies a tenant's web channel to anonymous visitors. */
export async function findWebChannelByPublicKey(db: Db, publicKey: string) {
  const [row] = await db.select().from(channels).where(and(eq(channels.publicKey, publicKey), eq(channels.type, "web"))).limit(1);
  return row ?? null;
}
