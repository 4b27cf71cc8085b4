import { z } from "zod";
import { readCookies } from "../auth/cookies";

export const ACTIVE_TENANT_COOKIE = "active_tenant";
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The workspace the request's cookie names, or null when it is absent or not a UUID (client input, ignored). */
export function readActiveTenant(req: Request): string | null {
  const value = readCookies(req.headers.get("cookie")).get(ACTIVE_TENANT_COOKIE);
  return z.uuid().safeParse(value).success ? value! : null;
}

/** The Set-Cookie value that makes `tenantId` the active workspace; Secure when the app is served over https. */
export function activeTenantCookie(tenantId: string, secure: boolean): string {
  return `${ACTIVE_TENANT_COOKIE}=${tenantId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ONE_YEAR_SECONDS}${secure ? "; Secure" : ""}`;
}
