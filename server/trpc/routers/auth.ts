import { z } from "zod";
import { changePassword } from "../../auth/password-change";
import { registerTenantOwner } from "../../auth/registration";
import { changePasswordSchema, emailSchema, signupSchema } from "../../auth/schemas";
import { resendVerification } from "../../auth/verification";
import { acceptInvitation, describeInvitation } from "../../tenants/team-service";
import { protectedProcedure, publicProcedure, router } from "../init";

export const authRouter = router({
  signup: publicProcedure.input(signupSchema).mutation(({ ctx, input }) => registerTenantOwner(ctx, input, ctx.ip)),
  resendVerification: publicProcedure.input(z.object({ email: emailSchema })).mutation(async ({ ctx, input }) => {
    await resendVerification(ctx, { email: input.email, ip: ctx.ip });
    return { sent: true };
  }),
  /** Ends every session of the user, this one included: the page then sends them to log in again. */
  changePassword: protectedProcedure.input(changePasswordSchema).mutation(async ({ ctx, input }) => {
    await changePassword(ctx, { userId: ctx.userId, currentPassword: input.currentPassword, newPassword: input.newPassword, ip: ctx.ip });
    return { signedOut: true };
  }),
  invitation: publicProcedure.input(z.object({ token: z.string().min(1) })).query(async ({ ctx, input }) => {
    const invite = await describeInvitation(ctx.db, input.token);
    return { email: invite.email, role: invite.role, tenantName: invite.tenantName };
  }),
  acceptInvitation: protectedProcedure.input(z.object({ token: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const joined = await acceptInvitation(ctx.db, input.token, ctx.userId);
    ctx.setActiveTenant(joined.tenantId);
    return joined;
  }),
});
