import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/auth-options";
import { getKv } from "@/server/cache";
import { getDb } from "@/server/db";
import { getMailer } from "@/server/email/mailer";
import { appRouter } from "@/server/trpc/root";
import { ACTIVE_TENANT_COOKIE, readCookie } from "@/server/trpc/active-tenant-cookie";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    async createContext({ resHeaders }) {
      const session = await getServerSession(authOptions());
      return {
        db: getDb(),
        kv: getKv(),
        mailer: getMailer(),
        userId: (session?.user as { id?: string } | undefined)?.id ?? null,
        activeTenantId: readCookie(req.headers.get("cookie"), ACTIVE_TENANT_COOKIE),
        ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim() ?? "unknown",
        setActiveTenant(tenantId: string) {
          resHeaders.append("set-cookie", `${ACTIVE_TENANT_COOKIE}=${tenantId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000`);
        },
      };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`[trpc] ${path}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
