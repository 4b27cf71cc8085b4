import type { Metadata } from "next";
import { serverApi } from "@/lib/server-api";
import { InvitationsList } from "./invitations-list";
import { InviteForm } from "./invite-form";
import { MembersTable } from "./members-table";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage() {
  const api = await serverApi();
  const [tenant, members, invitations] = await Promise.all([api.tenant.current(), api.team.members(), api.team.invitations()]);
  const canManage = tenant.role !== "member";
  return (
    <div>
      <h1>Team</h1>
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <MembersTable members={members} />
      </section>
      <section className="card" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">Invitations</h2>
        <InvitationsList invitations={invitations} canManage={canManage} />
      </section>
      {canManage ? (
        <section className="card" aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite a teammate</h2>
          <p className="muted">They get an email with a link to join {tenant.name}. Inviting someone again sends a new link.</p>
          <InviteForm viewerRole={tenant.role} />
        </section>
      ) : null}
    </div>
  );
}
