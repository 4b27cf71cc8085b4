import { z } from "zod";
import { ROLES } from "@/db/schema";
import { emailSchema, passwordSchema } from "../auth/schemas";
import { storable } from "../http/text";

export const inviteInputSchema = z.object({ email: emailSchema.meta({ title: "Email" }), role: z.enum(ROLES).meta({ title: "Role" }) });
export type InviteInput = z.infer<typeof inviteInputSchema>;

export const invitationIdSchema = z.object({ invitationId: z.uuid().meta({ title: "Invitation" }) });

export const removeMemberSchema = z.object({ userId: z.uuid().meta({ title: "Member" }) });

// A token is 43 base64url characters; the cap only keeps a pasted novel from being hashed.
export const invitationTokenSchema = z.object({ token: z.string().min(1).max(200).meta({ title: "Invitation link" }) });

/** Sign-up from an invitation: the address and the workspace come from the invitation, not from the form. */
export const invitedSignupSchema = invitationTokenSchema
  .extend({ password: passwordSchema.meta({ title: "Password" }), confirmPassword: storable(z.string()).meta({ title: "Confirm password" }) })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "Passwords do not match" });
export type InvitedSignupInput = z.infer<typeof invitedSignupSchema>;
