"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field } from "@/components/field";
import type { Role } from "@/db/schema";
import { api } from "@/lib/trpc-client";
import { useFormSubmit } from "@/lib/use-form-submit";
import { ROLE_LABELS } from "./labels";

/** Only an owner may hand out the owner role (the server refuses it to admins), so only an owner is offered it. */
export function InviteForm({ viewerRole }: { viewerRole: Role }) {
  const router = useRouter();
  const [sentText, setSentText] = useState<string | null>(null);
  const roles: Role[] = viewerRole === "owner" ? ["member", "admin", "owner"] : ["member", "admin"];

  const { fields, error, pending, onSubmit: invite } = useFormSubmit(async (form, formEl) => {
    setSentText(null);
    const sent = await api.team.invite.mutate({ email: String(form.get("email") ?? ""), role: String(form.get("role")) as Role });
    formEl.reset();
    setSentText(sent.resent ? `A new invitation was sent to ${sent.email}; the earlier link no longer works.` : `Invitation sent to ${sent.email}.`);
    router.refresh();
  });
  const message = error ? { ok: false, text: error } : sentText ? { ok: true, text: sentText } : null;

  return (
    <form onSubmit={invite} noValidate>
      <Field label="Email" name="email" type="email" testId="invite-email" autoComplete="off" errors={fields.email} />
      <div className="field">
        <label htmlFor="role">Role</label>
        <select id="role" name="role" defaultValue="member" data-testid="invite-role">
          {roles.map((role) => (
            <option key={role} value={role}>{ROLE_LABELS[role]}</option>
          ))}
        </select>
      </div>
      <button type="submit" data-testid="send-invite" disabled={pending}>{pending ? "Sending…" : "Send invitation"}</button>
      {message ? <p className={message.ok ? "notice" : "alert"} role="status" data-testid="invite-result">{message.text}</p> : null}
    </form>
  );
}
