import type { Db } from "@/db/client";
import type { ChannelType } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { randomToken } from "../security/crypto";
import { recordAudit } from "../tenants/audit";
import { getChannel, getChannelSecrets, upsertChannel, type ChannelView } from "./channel-service";

/** The stored secrets an admin may read back in the dashboard: what they must paste elsewhere. */
export type RevealableSecret = "identity_secret" | "verify_token";

/**
 * One stored secret of a channel, for its admins, audit-logged: secrets are otherwise only ever shown as hints.
 * NOT_FOUND when the channel does not exist or holds no such secret.
 */
export async function revealChannelSecret(db: Db, tenantId: string, actorUserId: string, type: ChannelType, key: RevealableSecret): Promise<string> {
  const value = (await getChannelSecrets(db, tenantId, type))[key];
  if (!value) throw new AppError("NOT_FOUND", type === "web" ? "Turn the web widget on first: its identity secret is made with it." : "No verify token is saved for this channel yet.");
  await recordAudit(db, { tenantId, actorUserId, action: "channel.secret_revealed", targetType: "channel", targetId: type, details: { secret: key } });
  return value;
}

/** A new identity secret for the web widget: every user_hash made with the old one stops verifying at once. */
export async function rotateIdentitySecret(db: Db, tenantId: string, actorUserId: string): Promise<ChannelView> {
  if (!(await getChannel(db, tenantId, "web"))) throw new AppError("NOT_FOUND", "Turn the web widget on first: its identity secret is made with it.");
  const view = await upsertChannel(db, tenantId, actorUserId, { type: "web", settings: {}, secrets: { identity_secret: randomToken(32) } });
  await recordAudit(db, { tenantId, actorUserId, action: "channel.identity_secret_rotated", targetType: "channel", targetId: "web" });
  return view;
}
