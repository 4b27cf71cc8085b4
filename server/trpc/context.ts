import { TRPCError } from "@trpc/server";
import { activeSessionUser, readSessionToken } from "../auth/session";
import { getKv } from "../cache";
import { getDb } from "../db";
import { getMailer } from "../email/mailer";
import { env } from "../env";
import { clientIp } from "../http/client-ip";
import { servedOverHttps } from "../security/page-policy";
import { activeTenantCookie, readActiveTenant } from "./active-tenant-cookie";
import type { TrpcContext, TrpcDeps } from "./init";
import { isCrossSiteRequest } from "./request-origin";

const defaultDeps = (): TrpcDeps => ({ db: getDb(), kv: getKv(), mailer: getMailer() });

/**
 * The context of one tRPC request, from the request alone: the signed-in user (only while the session's
 * version is current), the active workspace cookie (ignored unless a UUID), and the client address.
 * Cross-site POSTs are refused before any procedure runs.
 */
export async function createTrpcContext({ req, resHeaders }: { req: Request; resHeaders: Headers }, deps: TrpcDeps = defaultDeps()): Promise<TrpcContext> {
  const { APP_URL } = env();
  if (req.method === "POST" && isCrossSiteRequest(req.headers, APP_URL)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site requests are not allowed." });
  }
  const secure = servedOverHttps(req.headers, APP_URL);
  return {
    ...deps,
    userId: await activeSessionUser(deps.db, await readSessionToken(req)),
    activeTenantId: readActiveTenant(req),
    ip: clientIp(req),
    setActiveTenant(tenantId) {
      resHeaders.append("set-cookie", activeTenantCookie(tenantId, secure));
    },
  };
}
