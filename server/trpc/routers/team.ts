import { inviteMember, listOpenInvitations, resendInvitation, revokeInvitation, type TeamActor } from "../../tenants/invitations";
import { invitationIdSchema, inviteInputSchema, removeMemberSchema } from "../../tenants/team-schemas";
import { listMembers, removeMember } from "../../tenants/team-service";
import { adminProcedure, router, tenantProcedure, type TenantCtx } from "../init";

const actor = (ctx: { tenant: TenantCtx; userId: string }): TeamActor => ({ tenantId: ctx.tenant.id, tenantName: ctx.tenant.name, actorUserId: ctx.userId, actorRole: ctx.tenant.role });

export const teamRouter = router({
  members: tenantProcedure.query(({ ctx }) => listMembers(ctx.db, ctx.tenant.id, { userId: ctx.userId, role: ctx.tenant.role })),
  invitations: tenantProcedure.query(({ ctx }) => listOpenInvitations(ctx.db, ctx.tenant.id)),
  /** Inviting an address with an open invitation sends it a new link instead of a second invitation. */
  invite: adminProcedure.input(inviteInputSchema).mutation(({ ctx, input }) => inviteMember(ctx, actor(ctx), input)),
  resend: adminProcedure.input(invitationIdSchema).mutation(({ ctx, input }) => resendInvitation(ctx, actor(ctx), input.invitationId)),
  revoke: adminProcedure.input(invitationIdSchema).mutation(async ({ ctx, input }) => {
    await revokeInvitation(ctx.db, actor(ctx), input.invitationId);
    return { revoked: true };
  }),
  remove: adminProcedure.input(removeMemberSchema).mutation(async ({ ctx, input }) => {
    await removeMember(ctx.db, { tenantId: ctx.tenant.id, actorUserId: ctx.userId, actorRole: ctx.tenant.role }, input.userId);
    return { removed: true };
  }),
});
