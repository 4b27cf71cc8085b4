"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import { ConfirmButton } from "@/components/confirm-button";
import { api, describeError } from "@/lib/trpc-client";
import type { AppRouter } from "@/server/trpc/root";
import { formatDay, ROLE_LABELS } from "./labels";

type Invitation = inferRouterOutputs<AppRouter>["team"]["invitations"][number];

/** One row per invited address; resending replaces its link, revoking ends it. Managers only get the buttons. */
export function InvitationsList({ invitations, canManage }: { invitations: Invitation[]; canManage: boolean }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function resend(invitation: Invitation) {
    setMessage(null);
    try {
      await api.team.resend.mutate({ invitationId: invitation.id });
      setMessage({ ok: true, text: `A new link was sent to ${invitation.email}; the previous one no longer works.` });
      router.refresh();
    } catch (err) {
      setMessage({ ok: false, text: describeError(err).message });
    }
  }

  const result = message ? <p className={message.ok ? "notice" : "alert"} role="status" data-testid="invitation-result">{message.text}</p> : null;
  if (invitations.length === 0) {
    return (
      <>
        <p className="muted" data-testid="no-invitations">No open invitations.</p>
        {result}
      </>
    );
  }
  return (
    <>
      <table>
        <thead><tr><th>Email</th><th>Role</th><th>Status</th>{canManage ? <th aria-label="Actions" /> : null}</tr></thead>
        <tbody>
          {invitations.map((i) => (
            <tr key={i.id} data-testid="invitation-row">
              <td style={{ overflowWrap: "anywhere" }}>{i.email}</td>
              <td>{ROLE_LABELS[i.role]}</td>
              <td>{i.expired ? `Expired ${formatDay(i.expiresAt)}` : `Sent ${formatDay(i.createdAt)}, expires ${formatDay(i.expiresAt)}`}</td>
              {canManage ? (
                <td>
                  <div className="row">
                    <button type="button" className="secondary" data-testid="resend-invite" onClick={() => resend(i)}>
                      Resend
                    </button>
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke the invitation to ${i.email}?`}
                      confirmLabel="Revoke"
                      testId="revoke-invite"
                      onConfirm={async () => {
                        await api.team.revoke.mutate({ invitationId: i.id });
                        setMessage({ ok: true, text: `The invitation to ${i.email} was revoked; its link no longer works.` });
                        router.refresh();
                      }}
                    />
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {result}
    </>
  );
}
