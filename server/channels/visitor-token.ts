import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "../env";

/** A visitor token lives this long after its last session call (each one issues a fresh token). */
export const VISITOR_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** What a widget visitor token vouches for. */
export type VisitorClaims = {
  /** The web channel (widget) the token was issued by; any other widget refuses it. */
  channelId: string;
  /** Random and chosen by the server, so no visitor can pick another's. */
  visitorId: string;
  /** Set only once the site proved the user with a valid user_hash. */
  userId: string | null;
  /**
   * With a userId: which identity secret proved it (identityBinding). Rotating the secret, as after a leak,
   * ends every verified token issued under the old one, renewals included; anonymous tokens are unaffected.
   */
  identity: string | null;
  /** What the visitor or the site said their name and email are: display only, never identity. */
  name: string | null;
  email: string | null;
  expiresAt: Date;
};

const payloadSchema = z.object({
  v: z.literal(1),
  c: z.string(),
  vid: z.string(),
  uid: z.string().nullable(),
  ib: z.string().nullable().optional(),
  n: z.string().nullable(),
  e: z.string().nullable(),
  exp: z.number().int(),
});

let cachedKey: { secret: string; key: Buffer } | undefined;

/** Derived from NEXTAUTH_SECRET under its own label, so a visitor token is never valid as anything else. */
function signingKey(): Buffer {
  const secret = env().NEXTAUTH_SECRET;
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "chatbot widget visitor token v1", 32)) };
  return cachedKey.key;
}

const sign = (payload: string) => createHmac("sha256", signingKey()).update(payload).digest();

export const newVisitorId = () => randomBytes(16).toString("base64url");

/** Names an identity secret inside a token without revealing it: a keyed hash, under its own label. */
export const identityBinding = (identitySecret: string) => createHmac("sha256", signingKey()).update(`identity secret\0${identitySecret}`).digest("base64url").slice(0, 22);

export function issueVisitorToken(claims: Omit<VisitorClaims, "expiresAt">, now: Date): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + VISITOR_TOKEN_TTL_MS);
  if (claims.userId !== null && !claims.identity) throw new Error("A verified visitor token needs the identity secret that verified it");
  const body = { v: 1, c: claims.channelId, vid: claims.visitorId, uid: claims.userId, ib: claims.userId === null ? null : claims.identity, n: claims.name, e: claims.email, exp: Math.floor(expiresAt.getTime() / 1000) };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  return { token: `${payload}.${sign(payload).toString("base64url")}`, expiresAt: new Date(body.exp * 1000) };
}

/**
 * The token's claims if it is intact, unexpired and issued by this widget, and (for a verified user) under
 * the widget's current identity secret; null for anything else. `currentIdentity` is that secret's
 * identityBinding, asked for only when the token names a user (it opens the channel's secrets).
 */
export function verifyVisitorToken(token: string, channelId: string, now: Date, currentIdentity: () => string | null): VisitorClaims | null {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  // Compared as text: base64url decoding skips stray characters, so decoded bytes would accept variants of one signature.
  const expected = Buffer.from(sign(payload).toString("base64url"));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let body: z.infer<typeof payloadSchema>;
  try {
    body = payloadSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    return null;
  }
  if (body.c !== channelId || body.exp * 1000 <= now.getTime()) return null;
  if (body.uid !== null && (!body.ib || body.ib !== currentIdentity())) return null;
  return { channelId: body.c, visitorId: body.vid, userId: body.uid, identity: body.uid === null ? null : body.ib!, name: body.n, email: body.e, expiresAt: new Date(body.exp * 1000) };
}

/**
 * The conversations' end-user id: a verified user's follow them to every device and browser; an anonymous
 * visitor's stay with that visitor (identifying later does not hand them to the user, nor the reverse).
 */
export const endUserIdOf = (claims: Pick<VisitorClaims, "visitorId" | "userId">) => (claims.userId !== null ? `web:user:${claims.userId}` : `web:${claims.visitorId}`);
