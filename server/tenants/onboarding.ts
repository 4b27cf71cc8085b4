import { and, count, eq, isNotNull, or, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { channels, flows, invitations, memberships, providerConfigs } from "@/db/schema";
import { pendingInvitation } from "./invitations";

export type ChecklistItem = { key: "channel" | "widget" | "model" | "flow" | "team"; label: string; done: boolean; href: string };

async function countWhere(db: Db, table: PgTable, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(table).where(where);
  return Number(row?.n ?? 0);
}

/** Every item is derived from stored state, never from a flag the user could tick by hand. */
export async function onboardingChecklist(db: Db, tenantId: string): Promise<ChecklistItem[]> {
  const [enabledChannels, webChannel, models, published, members, invites] = await Promise.all([
    // A messaging channel counts only once the platform has verified its webhook; the widget needs no webhook.
    countWhere(db, channels, and(eq(channels.tenantId, tenantId), eq(channels.enabled, true), or(eq(channels.type, "web"), isNotNull(channels.webhookVerifiedAt)))),
    db.select({ enabled: channels.enabled, settings: channels.settings }).from(channels).where(and(eq(channels.tenantId, tenantId), eq(channels.type, "web"))).limit(1),
    // Saved is not connected: only a model whose last "test connection" answered counts.
    countWhere(db, providerConfigs, and(eq(providerConfigs.tenantId, tenantId), eq(providerConfigs.lastTestOk, true))),
    countWhere(db, flows, and(eq(flows.tenantId, tenantId), isNotNull(flows.publishedVersionId))),
    countWhere(db, memberships, eq(memberships.tenantId, tenantId)),
    countWhere(db, invitations, pendingInvitation(tenantId)),
  ]);
  const web = webChannel[0];
  return [
    { key: "channel", label: "Set up a channel", done: enabledChannels > 0, href: "/dashboard/channels" },
    { key: "widget", label: "Configure the web widget", done: Boolean(web?.enabled && web.settings.title), href: "/dashboard/channels" },
    { key: "model", label: "Connect an AI model", done: models > 0, href: "/dashboard/models" },
    { key: "flow", label: "Publish a flow", done: published > 0, href: "/dashboard/flows" },
    { key: "team", label: "Invite your team", done: members > 1 || invites > 0, href: "/dashboard/team" },
  ];
}
