"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useState } from "react";
import { api, describeError } from "@/lib/trpc-client";

function InviteInner() {
  const token = useSearchParams().get("token") ?? "";
  const router = useRouter();
  const [invite, setInvite] = useState<{ email: string; role: string; tenantName: string } | null>(null);
  const [loggedIn, setLoggedIn] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.auth.invitation.query({ token }).then(setInvite).catch((e) => setError(describeError(e).message));
    fetch("/api/auth/session").then((r) => r.json()).then((s) => setLoggedIn(Boolean(s?.user)));
  }, [token]);

  async function accept() {
    try {
      await api.auth.acceptInvitation.mutate({ token });
      router.push("/dashboard");
    } catch (e) {
      setError(describeError(e).message);
    }
  }

  const back = encodeURIComponent(`/invite?token=${token}`);
  return (
    <main className="auth-shell">
      <h1>Team invitation</h1>
      {error ? <p className="alert" role="alert">{error}</p> : null}
      {invite ? (
        <>
          <p>You have been invited to join <strong>{invite.tenantName}</strong> as <strong>{invite.role}</strong> ({invite.email}).</p>
          {loggedIn ? (
            <button onClick={accept} data-testid="accept-invite">Accept invitation</button>
          ) : (
            <p>
              <Link className="button" href={`/login?callbackUrl=${back}`}>Log in to accept</Link>{" "}
              <Link className="button secondary" href="/signup">Create an account first</Link>
            </p>
          )}
        </>
      ) : null}
    </main>
  );
}

export default function InvitePage() {
  return (
    <Suspense>
      <InviteInner />
    </Suspense>
  );
}
