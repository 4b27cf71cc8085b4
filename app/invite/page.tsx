import type { Metadata } from "next";
import Link from "next/link";
import { getServerSession } from "next-auth";
import { authOptions } from "@/server/auth/auth-options";
import { getDb } from "@/server/db";
import { isAppError } from "@/server/errors/app-error";
import { invitationForLink } from "@/server/tenants/invitations";
import { AcceptInvitation, LogOutToAccept } from "./accept-invitation";
import { InvitedSignupForm } from "./invited-signup-form";

export const metadata: Metadata = { title: "Team invitation" };
export const dynamic = "force-dynamic";

const ROLE_WORDS = { owner: "an owner", admin: "an admin", member: "a member" } as const;

async function readInvitation(token: string | undefined) {
  if (!token) return { ok: false as const, message: "This invitation link is not valid." };
  try {
    return { ok: true as const, invite: await invitationForLink(getDb(), token) };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { ok: false as const, message: e.message };
  }
}

/**
 * Where an invitation link lands. A new person signs up right here (the address is the invited one, no
 * company to create) and arrives in the inviting workspace; someone with an account logs in, comes back
 * and accepts; someone logged in as another address is told to switch.
 */
export default async function InvitePage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : undefined;
  const [read, session] = await Promise.all([readInvitation(token), getServerSession(authOptions())]);
  if (!read.ok) {
    return (
      <main className="auth-shell">
        <h1>Team invitation</h1>
        <p className="alert" role="alert" data-testid="invite-error">{read.message}</p>
        <p><Link href="/login">Go to log in</Link></p>
      </main>
    );
  }
  const { invite } = read;
  const signedInAs = session?.user?.email?.toLowerCase() ?? null;
  const back = `/invite?token=${encodeURIComponent(token!)}`;
  return (
    <main className="auth-shell">
      <h1>{`Join ${invite.tenantName}`}</h1>
      <p data-testid="invite-summary">
        You have been invited to join <strong>{invite.tenantName}</strong> as {ROLE_WORDS[invite.role]}.
      </p>
      {signedInAs === invite.email ? (
        <AcceptInvitation token={token!} />
      ) : signedInAs ? (
        <LogOutToAccept invitedEmail={invite.email} signedInAs={signedInAs} back={back} />
      ) : invite.hasAccount ? (
        <>
          <p className="muted">{`Log in as ${invite.email} to accept.`}</p>
          <Link className="button" href={`/login?callbackUrl=${encodeURIComponent(back)}`} data-testid="login-to-accept">Log in to accept</Link>
        </>
      ) : (
        <InvitedSignupForm token={token!} email={invite.email} />
      )}
    </main>
  );
}
