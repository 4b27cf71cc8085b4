import type { Metadata } from "next";
import { getServerSession } from "next-auth";
import { ChangePasswordForm } from "@/components/change-password-form";
import { serverApi } from "@/lib/server-api";
import { authOptions } from "@/server/auth/auth-options";

export const metadata: Metadata = { title: "Account" };

const ROLE_NAMES = { owner: "Owner", admin: "Admin", member: "Member" } as const;

export default async function AccountPage() {
  const [session, tenant] = await Promise.all([getServerSession(authOptions()), serverApi().then((api) => api.tenant.current())]);
  return (
    <div>
      <h1>Account</h1>
      <section className="card" aria-labelledby="signed-in">
        <h2 id="signed-in">Signed in</h2>
        <dl className="facts">
          <dt>Email</dt>
          <dd data-testid="account-email">{session?.user?.email}</dd>
          <dt>Workspace</dt>
          <dd>{`${tenant.name} (${ROLE_NAMES[tenant.role]})`}</dd>
        </dl>
      </section>
      <section className="card" aria-labelledby="password">
        <h2 id="password">Password</h2>
        <p className="muted">Changing your password logs you out everywhere, this browser included.</p>
        <ChangePasswordForm />
      </section>
    </div>
  );
}
