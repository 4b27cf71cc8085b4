"use client";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";

export function AcceptInvitation({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function accept() {
    setPending(true);
    setError(null);
    try {
      await api.auth.acceptInvitation.mutate({ token });
      router.push("/dashboard");
      router.refresh();
    } catch (e) {
      setError(describeError(e).message);
      setPending(false);
    }
  }
  return (
    <>
      {error ? <p className="alert" role="alert" data-testid="invite-error">{error}</p> : null}
      <button type="button" onClick={accept} disabled={pending} data-testid="accept-invite">
        {pending ? "Joining…" : "Accept invitation"}
      </button>
    </>
  );
}

/** The link is bound to the invited address: someone logged in as another one switches accounts first. */
export function LogOutToAccept({ invitedEmail, signedInAs, back }: { invitedEmail: string; signedInAs: string; back: string }) {
  return (
    <>
      <p className="alert" role="alert" data-testid="invite-wrong-account">
        {`This invitation was sent to ${invitedEmail}, but you are logged in as ${signedInAs}. Log out, then open the link again.`}
      </p>
      <button type="button" className="secondary" onClick={() => signOut({ callbackUrl: back })} data-testid="logout-to-accept">
        Log out
      </button>
    </>
  );
}
