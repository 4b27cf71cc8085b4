import { z } from "zod";
import { registerTenantOwner } from "../../auth/registration";
import { emailSchema, signupSchema } from "../../auth/schemas";
import { resendVerification } from "../../auth/verification";
import { acceptInvitation, describeInvitation } from "../../tenants/team-service";
import { protectedProcedure, publicProcedure, router } from "../init";

export const authRouter = router({
  signup: publicProcedure.input(signupSchema).mutation(async ({ ctx, input }) => {
    const result = await registerTenantOwner(ctx.db, ctx.mailer, input);
    return { email: result.email };
  }),
  resendVerification: publicProcedure.input(z.object({ email: emailSchema })).mutation(async ({ ctx, input }) => {
    await resendVerification(ctx.db, ctx.mailer, input.email);
    return { sent: true };
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
