import { z } from "zod";
import { ROLES } from "@/db/schema";
import { emailSchema } from "../../auth/schemas";
import { inviteMember, listMembers, listPendingInvitations, removeMember } from "../../tenants/team-service";
import { adminProcedure, router, tenantProcedure } from "../init";

export const teamRouter = router({
  members: tenantProcedure.query(({ ctx }) => listMembers(ctx.db, ctx.tenant.id)),
  invitations: tenantProcedure.query(({ ctx }) => listPendingInvitations(ctx.db, ctx.tenant.id)),
  invite: adminProcedure
    .input(z.object({ email: emailSchema, role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) =>
      inviteMember({ db: ctx.db, mailer: ctx.mailer }, { tenantId: ctx.tenant.id, tenantName: ctx.tenant.name, actorUserId: ctx.userId, actorRole: ctx.tenant.role }, input),
    ),
  remove: adminProcedure
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, { tenantId: ctx.tenant.id, actorUserId: ctx.userId, actorRole: ctx.tenant.role }, input.userId)),
});
