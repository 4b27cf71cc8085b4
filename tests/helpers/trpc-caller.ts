import type { Db } from "@/db/client";
import type { Kv } from "@/server/cache/kv";
import type { Mailer } from "@/server/email/mailer";
import { createCaller } from "@/server/trpc/root";

/**
 * A tRPC caller as a given user with a given active-tenant cookie, through the real middlewares (the
 * context builder itself is tested with real Requests). `ip` is the resolved client address: null by
 * default, as behind `next dev`, so tests do not share one per-address bucket unless they mean to.
 */
export function callerFor(deps: { db: Db; kv: Kv; mailer: Mailer }, userId: string | null, activeTenantId: string | null = null, opts: { ip?: string | null } = {}) {
  return createCaller({ ...deps, userId, activeTenantId, ip: opts.ip ?? null, setActiveTenant: () => {} });
}
