"use client";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";

export function ResendVerification({ email }: { email: string }) {
  const [state, setState] = useState<"idle" | "sending" | "sent">("idle");
  const [error, setError] = useState<string | null>(null);
  async function resend() {
    setState("sending");
    setError(null);
    try {
      await api.auth.resendVerification.mutate({ email });
      setState("sent");
    } catch (e) {
      setError(describeError(e).message);
      setState("idle");
    }
  }
  if (state === "sent") return <p className="notice" data-testid="verification-resent">We sent a new verification link to {email}.</p>;
  return (
    <div>
      <button type="button" className="secondary" onClick={resend} disabled={state === "sending"} data-testid="resend-verification">
        Send a new verification link
      </button>
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}
