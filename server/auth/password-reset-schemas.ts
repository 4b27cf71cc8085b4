import { z } from "zod";
import { storable } from "../http/text";
import { emailSchema, passwordSchema } from "./schemas";

export const requestPasswordResetSchema = z.object({ email: emailSchema });

/** A link's token is 43 characters; the cap only keeps a pasted novel out of the hash and the query. */
export const resetTokenSchema = z.string().meta({ title: "Reset link" }).min(1).max(200);

export const resetPasswordSchema = z
  .object({
    token: resetTokenSchema,
    password: passwordSchema.meta({ title: "New password" }),
    confirmPassword: storable(z.string().meta({ title: "New password confirmation" })),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "Passwords do not match" });
