"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { ConfirmButton } from "../confirm-button";
import { CopyButton } from "../copy-button";

const CODE_SAMPLE = `// On your server, for the logged-in user (keep the secret there, never in the page):
const crypto = require("node:crypto");
const user_hash = crypto.createHmac("sha256", process.env.CHATBOT_IDENTITY_SECRET).update(user.id).digest("hex");

// In the page, after the widget's snippet:
ChatbotWidget.identify({ user_id: user.id, user_hash, name: user.name, email: user.email });`;

/**
 * The web widget's identity secret, for admins: hidden until asked for (each reveal is audit-logged), with how a
 * site signs its users with it, and a rotation that asks first since it breaks every user_hash in use.
 */
export function IdentitySecret() {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [rotated, setRotated] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function reveal() {
    setPending(true);
    setError(null);
    try {
      setSecret((await api.channels.identitySecret.mutate()).identity_secret);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setPending(false);
    }
  }

  async function rotate() {
    await api.channels.rotateIdentitySecret.mutate();
    setSecret(null);
    setRotated(true);
    router.refresh();
  }

  return (
    <div data-testid="identity-secret-section">
      <h2>Identify logged-in users</h2>
      <p className="muted">
        When your site knows who the visitor is, pass their user id with a <code>user_hash</code>: the HMAC-SHA256 of the user id made with this
        secret on your server. The widget then shows the conversation as theirs, on every device, and nobody can pose as them.
      </p>
      <div className="row">
        <strong>Identity secret:</strong>
        {secret ? (
          <>
            <code id="identity-secret" data-testid="identity-secret">
              {secret}
            </code>
            <CopyButton text={secret} targetId="identity-secret" testId="copy-identity-secret" />
            <button type="button" className="secondary" data-testid="hide-identity-secret" onClick={() => setSecret(null)}>
              Hide
            </button>
          </>
        ) : (
          <>
            <span className="muted">hidden</span>
            <button type="button" className="secondary" data-testid="show-identity-secret" disabled={pending} onClick={() => void reveal()}>
              {pending ? "Showing…" : "Show"}
            </button>
          </>
        )}
        <ConfirmButton
          label="Rotate secret"
          question="Make a new identity secret? Every user_hash made with the current one stops verifying until your server uses the new one."
          confirmLabel="Rotate"
          testId="rotate-identity-secret"
          onConfirm={rotate}
        />
      </div>
      {rotated ? (
        <p className="notice" role="status" data-testid="identity-secret-rotated">
          A new identity secret was made. Show it and put it on your server.
        </p>
      ) : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      <pre className="code" data-testid="identity-code-sample">
        {CODE_SAMPLE}
      </pre>
    </div>
  );
}
