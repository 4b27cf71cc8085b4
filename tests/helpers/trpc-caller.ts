import type { Db } from "@/db/client";
import type { Kv } from "@/server/cache/kv";
import type { Mailer } from "@/server/email/mailer";
import { createCaller } from "@/server/trpc/root";

/** A tRPC caller as a given user with a given active-tenant cookie, through the real middlewares. */
export function callerFor(deps: { db: Db; kv: Kv; mailer: Mailer }, userId: string | null, activeTenantId: string | null = null) {
  return createCaller({ ...deps, userId, activeTenantId, ip: "127.0.0.1", setActiveTenant: () => {} });
}
