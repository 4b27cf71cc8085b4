import { z } from "zod";
import { changePassword } from "../../auth/password-change";
import { requestPasswordReset, resetPassword } from "../../auth/password-reset";
import { requestPasswordResetSchema, resetPasswordSchema } from "../../auth/password-reset-schemas";
import { registerInvitedUser, registerTenantOwner } from "../../auth/registration";
import { changePasswordSchema, emailSchema, signupSchema } from "../../auth/schemas";
import { resendVerification } from "../../auth/verification";
import { acceptInvitation, invitationForLink } from "../../tenants/invitations";
import { invitationTokenSchema, invitedSignupSchema } from "../../tenants/team-schemas";
import { protectedProcedure, publicProcedure, router } from "../init";

export const authRouter = router({
  signup: publicProcedure.input(signupSchema).mutation(({ ctx, input }) => registerTenantOwner(ctx, input, ctx.ip)),
  resendVerification: publicProcedure.input(z.object({ email: emailSchema })).mutation(async ({ ctx, input }) => {
    await resendVerification(ctx, { email: input.email, ip: ctx.ip });
    return { sent: true };
  }),
  /** The same answer whether or not the address has an account; the mail goes out after it. */
  requestPasswordReset: publicProcedure.input(requestPasswordResetSchema).mutation(async ({ ctx, input }) => {
    await requestPasswordReset(ctx, { email: input.email, ip: ctx.ip });
    return { sent: true };
  }),
  /** Ends every session of the account; the page then sends the user to log in with the new password. */
  resetPassword: publicProcedure.input(resetPasswordSchema).mutation(async ({ ctx, input }) => {
    await resetPassword(ctx, { token: input.token, password: input.password, ip: ctx.ip });
    return { signedOut: true };
  }),
  /** Ends every session of the user, this one included: the page then sends them to log in again. */
  changePassword: protectedProcedure.input(changePasswordSchema).mutation(async ({ ctx, input }) => {
    await changePassword(ctx, { userId: ctx.userId, currentPassword: input.currentPassword, newPassword: input.newPassword, ip: ctx.ip });
    return { signedOut: true };
  }),
  invitation: publicProcedure.input(invitationTokenSchema).query(({ ctx, input }) => invitationForLink(ctx.db, input.token)),
  /** A new person's sign-up from an invitation link: verified by the link, a member of the inviting workspace only. */
  signupWithInvitation: publicProcedure.input(invitedSignupSchema).mutation(async ({ ctx, input }) => {
    const joined = await registerInvitedUser(ctx, input, ctx.ip);
    ctx.setActiveTenant(joined.tenantId);
    return joined;
  }),
  acceptInvitation: protectedProcedure.input(invitationTokenSchema).mutation(async ({ ctx, input }) => {
    const joined = await acceptInvitation(ctx.db, input.token, ctx.userId);
    ctx.setActiveTenant(joined.tenantId);
    return joined;
  }),
});
