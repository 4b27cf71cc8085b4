"use client";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { CopyButton } from "../copy-button";

type Props = { type: "whatsapp" | "messenger"; hint: string };

/**
 * The stored verify token, which the tenant pastes into Meta's webhook settings beside the URL: hidden behind its
 * hint until an admin asks (each reveal is audit-logged), since it is kept like every other secret.
 */
export function VerifyToken({ type, hint }: Props) {
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = `verify-token-${type}`;

  async function reveal() {
    setError(null);
    try {
      setToken((await api.channels.verifyToken.mutate({ type })).verify_token);
    } catch (e) {
      setError(describeError(e).message);
    }
  }

  return (
    <div className="row" style={{ marginBottom: ".8rem" }}>
      <strong>Verify token:</strong>
      {token ? (
        <>
          <code id={id} data-testid={id}>
            {token}
          </code>
          <CopyButton text={token} targetId={id} testId={`copy-${id}`} />
        </>
      ) : (
        <>
          <span className="muted">{hint}</span>
          <button type="button" className="secondary" data-testid={`show-${id}`} onClick={() => void reveal()}>
            Show
          </button>
        </>
      )}
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
