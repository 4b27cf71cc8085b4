"use client";
import { useState, type FormEvent } from "react";
import { Field } from "@/components/field";
import { api, describeError, type FieldErrors } from "@/lib/trpc-client";
import { useQuery } from "@/lib/use-query";

export default function TeamPage() {
  const members = useQuery(() => api.team.members.query());
  const invites = useQuery(() => api.team.invitations.query());
  const me = useQuery(() => api.tenant.current.query());
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const canManage = me.data && me.data.role !== "member";

  async function invite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setFields({});
    setMessage(null);
    try {
      const email = String(form.get("email") ?? "");
      await api.team.invite.mutate({ email, role: String(form.get("role")) as "admin" | "member" | "owner" });
      formEl.reset();
      setMessage({ ok: true, text: `Invitation sent to ${email.trim().toLowerCase()}.` });
      invites.reload();
    } catch (err) {
      const d = describeError(err);
      setFields(d.fields);
      setMessage({ ok: false, text: d.message });
    }
  }

  return (
    <div>
      <h1>Team</h1>
      <section className="card">
        <h2>Members</h2>
        <table>
          <thead><tr><th>Email</th><th>Role</th><th>Joined</th><th /></tr></thead>
          <tbody>
            {members.data?.map((m) => (
              <tr key={m.userId} data-testid="member-row">
                <td>{m.email}</td>
                <td>{m.role}</td>
                <td>{new Date(m.joinedAt).toLocaleDateString()}</td>
                <td>
                  {canManage ? (
                    <button
                      className="danger"
                      onClick={async () => {
                        try {
                          await api.team.remove.mutate({ userId: m.userId });
                          members.reload();
                        } catch (err) {
                          setMessage({ ok: false, text: describeError(err).message });
                        }
                      }}
                    >
                      Remove
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {invites.data?.length ? (
          <>
            <h2>Pending invitations</h2>
            <ul>{invites.data.map((i) => <li key={i.id}>{i.email} ({i.role}), expires {new Date(i.expiresAt).toLocaleDateString()}</li>)}</ul>
          </>
        ) : null}
      </section>
      {canManage ? (
        <section className="card">
          <h2>Invite a teammate</h2>
          <form onSubmit={invite} noValidate>
            <Field label="Email" name="email" type="email" testId="invite-email" errors={fields.email} />
            <div className="field">
              <label htmlFor="role">Role</label>
              <select id="role" name="role" defaultValue="member">
                <option value="member">Member</option>
                <option value="admin">Admin</option>
                {me.data?.role === "owner" ? <option value="owner">Owner</option> : null}
              </select>
            </div>
            <button type="submit" data-testid="send-invite">Send invitation</button>
          </form>
        </section>
      ) : null}
      {message ? <p className={message.ok ? "notice" : "alert"} role="status">{message.text}</p> : null}
    </div>
  );
}
