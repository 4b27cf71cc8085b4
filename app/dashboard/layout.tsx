import { TRPCError } from "@trpc/server";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { DashboardNav } from "@/components/nav";
import { SignOutButton } from "@/components/sign-out-button";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { serverApi } from "@/lib/server-api";
import { authOptions } from "@/server/auth/auth-options";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions());
  if (!session) redirect("/login?callbackUrl=/dashboard");
  const api = await serverApi();
  // A session that ended elsewhere (sign-out, password change) still decodes: the procedures' own check decides.
  const workspaces = await api.tenant.list().catch((e: unknown) => {
    if (e instanceof TRPCError && e.code === "UNAUTHORIZED") redirect("/login?callbackUrl=/dashboard");
    throw e;
  });
  const current = workspaces.length > 0 ? await api.tenant.current() : null;
  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <DashboardNav
        workspace={<TenantSwitcher tenants={workspaces} currentId={current?.id ?? null} />}
        footer={
          <>
            <div className="muted sidebar-email">{session.user?.email}</div>
            <SignOutButton />
          </>
        }
      />
      <main className="main" id="main">{children}</main>
    </div>
  );
}
