import { createHmac } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import { AppError } from "../errors/app-error";
import { storable } from "../http/text";
import { safeEqual } from "../security/crypto";
import { latestOpenConversation } from "./visitor-history";
import { endUserIdOf, identityBinding, issueVisitorToken, newVisitorId, verifyVisitorToken } from "./visitor-token";
import type { ResolvedWidget } from "./web-widget";

/** The body of POST /api/widget/{key}/session. */
export const visitorSessionSchema = z
  .object({
    /** The token of an earlier session; a stale or foreign one is not an error, the visitor just starts afresh. */
    visitor_token: z.string().max(4096).meta({ title: "Visitor token" }).optional(),
    user_id: storable(z.string().trim().min(1).max(200).meta({ title: "User ID" })).optional(),
    user_hash: z.string().trim().min(1).max(200).meta({ title: "User hash" }).optional(),
    name: storable(z.string().trim().min(1).max(200).meta({ title: "Name" })).optional(),
    email: storable(z.string().trim().min(1).max(320).meta({ title: "Email" })).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.user_id !== undefined && body.user_hash === undefined) ctx.addIssue({ code: "custom", path: ["user_hash"], message: "User hash is required with a user ID." });
    if (body.user_hash !== undefined && body.user_id === undefined) ctx.addIssue({ code: "custom", path: ["user_id"], message: "User ID is required with a user hash." });
  });
export type VisitorSessionInput = z.infer<typeof visitorSessionSchema>;

/** The `data` of POST /api/widget/{key}/session. */
export const visitorSessionResultSchema = z.object({
  visitor_token: z.string(),
  expires_at: z.iso.datetime(),
  verified: z.boolean(),
  conversation_id: z.uuid().nullable(),
});
export type VisitorSessionResult = z.infer<typeof visitorSessionResultSchema>;

/** The refusal of a widget that lets only verified users chat; the widget shows the message in place of the input. */
export const identityRequired = () => new AppError("FORBIDDEN", "Please sign in to chat.", { reason: "identity_required" });

/** What the tenant's server computes for a logged-in user: hex HMAC-SHA256 of the user id with the identity secret. */
export const userHashOf = (userId: string, identitySecret: string) => createHmac("sha256", identitySecret).update(userId).digest("hex");

/**
 * Issues (or renews) the visitor's token. A valid earlier token keeps its visitor id, so the anonymous
 * visitor's conversations stay theirs; a user_id counts only with the user_hash the tenant's server made.
 */
export async function startVisitorSession(db: Db, widget: ResolvedWidget, input: VisitorSessionInput, now: Date): Promise<VisitorSessionResult> {
  // A verified token from before the identity secret was rotated is not renewed: the visitor starts afresh.
  const earlier = input.visitor_token ? verifyVisitorToken(input.visitor_token, widget.channelId, now, widget.currentIdentity) : null;
  let userId = earlier?.userId ?? null;
  let identity = earlier?.identity ?? null;
  if (input.user_id !== undefined) {
    const secret = widget.identitySecret();
    if (!secret || !safeEqual(userHashOf(input.user_id, secret), input.user_hash!.toLowerCase())) throw new AppError("UNAUTHORIZED", "The user_hash does not match user_id.");
    userId = input.user_id;
    identity = identityBinding(secret);
  }
  if (widget.settings.require_verified_identity && userId === null) throw identityRequired();
  // A name given for another user is not carried over to this one.
  const sameUser = earlier !== null && earlier.userId === userId;
  const claims = {
    channelId: widget.channelId,
    visitorId: earlier?.visitorId ?? newVisitorId(),
    userId,
    identity: userId === null ? null : identity,
    name: input.name ?? (sameUser ? earlier.name : null),
    email: input.email ?? (sameUser ? earlier.email : null),
  };
  const { token, expiresAt } = issueVisitorToken(claims, now);
  const open = await latestOpenConversation(db, widget.tenantId, endUserIdOf(claims));
  return { visitor_token: token, expires_at: expiresAt.toISOString(), verified: userId !== null, conversation_id: open?.id ?? null };
}
