import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { authOptions } from "@/server/auth/auth-options";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await getServerSession(authOptions());
  if (!session) redirect("/login?callbackUrl=/dashboard");
  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <strong style={{ color: "#fff" }}>Chatbot Platform</strong>
        <TenantSwitcher />
        <Link href="/dashboard">Overview</Link>
        <Link href="/dashboard/channels">Channels</Link>
        <Link href="/dashboard/flows">Flows</Link>
        <Link href="/dashboard/models">AI models</Link>
        <Link href="/dashboard/team">Team</Link>
        <Link href="/dashboard/api-keys">API keys</Link>
        <Link href="/dashboard/account">Account</Link>
        <div style={{ marginTop: "auto" }}>
          <div className="muted" style={{ fontSize: ".8rem" }}>{session.user?.email}</div>
          <SignOutButton />
        </div>
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}
