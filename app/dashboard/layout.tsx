import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { DashboardNav } from "@/components/nav";
import { SignOutButton } from "@/components/sign-out-button";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { authOptions } from "@/server/auth/auth-options";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions());
  if (!session) redirect("/login?callbackUrl=/dashboard");
  return (
    <div className="app">
      <a className="skip-link" href="#main">Skip to content</a>
      <DashboardNav
        workspace={<TenantSwitcher />}
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
