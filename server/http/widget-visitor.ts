import { AppError } from "../errors/app-error";
import { identityRequired } from "../channels/visitor-session";
import { endUserIdOf, verifyVisitorToken, type VisitorClaims } from "../channels/visitor-token";
import type { WidgetContext } from "./widget-route";

export type WidgetVisitor = VisitorClaims & { endUserId: string };

function bearer(req: Request): string | null {
  const match = (req.headers.get("authorization") ?? "").match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/**
 * Who is calling, from `Authorization: Bearer <visitor token>`: the token decides the visitor, so no body or
 * query can name someone else. A widget requiring verified identity refuses anonymous tokens.
 */
export function requireVisitor(ctx: Pick<WidgetContext, "req" | "channelId" | "settings" | "currentIdentity">, now = new Date()): WidgetVisitor {
  const token = bearer(ctx.req);
  if (!token) throw new AppError("UNAUTHORIZED", "Send the visitor token from POST /session as `Authorization: Bearer <token>`.");
  const claims = verifyVisitorToken(token, ctx.channelId, now, ctx.currentIdentity);
  if (!claims) throw new AppError("UNAUTHORIZED", "The visitor token is invalid or has expired. Start a new session.");
  if (ctx.settings.require_verified_identity && claims.userId === null) throw identityRequired();
  return { ...claims, endUserId: endUserIdOf(claims) };
}
