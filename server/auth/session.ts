import { and, eq, sql } from "drizzle-orm";
import { decode, type JWT } from "next-auth/jwt";
import { z } from "zod";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { env } from "../env";
import { readCookies } from "./cookies";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

/** next-auth names and flags its cookie by scheme; both it and this module take the scheme from APP_URL. */
export const secureSessionCookie = (): boolean => env().APP_URL.startsWith("https:");
export const sessionCookieName = (): string => (secureSessionCookie() ? "__Secure-next-auth.session-token" : "next-auth.session-token");

/** What a session token must carry: the user and the session version it was issued under. */
const sessionClaimsSchema = z.object({ sub: z.uuid(), sv: z.number().int() });

/**
 * The user a decoded session token belongs to, or null when the token is missing, malformed, or older
 * than the user's session version (signed out, password changed) — checked against the database on
 * every request, so a revoked session ends at once rather than when its JWT expires.
 */
export async function activeSessionUser(db: Db, token: JWT | null): Promise<string | null> {
  const claims = sessionClaimsSchema.safeParse(token);
  if (!claims.success) return null;
  const [row] = await db.select({ version: users.sessionVersion }).from(users).where(eq(users.id, claims.data.sub)).limit(1);
  return row?.version === claims.data.sv ? claims.data.sub : null;
}

/** The session token a request carries in its cookie (next-auth splits large ones into `.0`, `.1`… chunks). */
export async function readSessionToken(req: Request): Promise<JWT | null> {
  const name = sessionCookieName();
  const chunks = [...readCookies(req.headers.get("cookie"))]
    .filter(([cookie]) => cookie === name || cookie.startsWith(`${name}.`))
    .sort(([a], [b]) => chunkIndex(a) - chunkIndex(b));
  if (chunks.length === 0) return null;
  try {
    return await decode({ token: chunks.map(([, value]) => value).join(""), secret: env().NEXTAUTH_SECRET });
  } catch {
    return null;
  }
}

const chunkIndex = (cookie: string) => Number(cookie.match(/\.(\d+)$/)?.[1] ?? 0);

/** The update that ends every session of a user: each one carries an older version from then on. */
export const nextSessionVersion = () => sql`${users.sessionVersion} + 1`;

/**
 * Sign-out: ends the user's sessions only if this token is still one of them, so a stale copy of a
 * cookie cannot be used to log its owner out everywhere.
 */
export async function signOutSession(db: Db, token: JWT | null): Promise<void> {
  const claims = sessionClaimsSchema.safeParse(token);
  if (!claims.success) return;
  await db
    .update(users)
    .set({ sessionVersion: nextSessionVersion() })
    .where(and(eq(users.id, claims.data.sub), eq(users.sessionVersion, claims.data.sv)));
}
