import { z } from "zod";
import { saying } from "../errors/zod-messages";
import { isStorableText, storable } from "../http/text";

const COMMON_PASSWORDS = new Set(["password", "password1", "password123", "12345678", "123456789", "1234567890", "qwerty123", "letmein123", "welcome123", "iloveyou1", "admin12345"]);

// The title sits on both ends of the pipe: each raises its own issues.
export const emailSchema = z
  .string()
  .meta({ title: "Email" })
  .trim()
  .toLowerCase()
  .min(1)
  .pipe(z.email().meta({ title: "Email" }));

export const passwordSchema = storable(z.string().meta({ title: "Password" }))
  .min(10)
  .max(200)
  .refine((p) => /[a-zA-Z]/.test(p) && /[0-9]/.test(p), saying("must contain letters and numbers"))
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "This password is too common");

// Beyond what Postgres cannot store (NUL, lone surrogates): tabs, line breaks and other invisible
// controls have no place in a name shown across the product.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;

export const signupSchema = z
  .object({
    companyName: z
      .string()
      .meta({ title: "Company name" })
      .trim()
      .min(2)
      .max(100)
      .refine((name) => isStorableText(name) && !CONTROL_CHARACTERS.test(name), saying("can only contain printable characters")),
    email: emailSchema,
    password: passwordSchema,
    confirmPassword: storable(z.string().meta({ title: "Password confirmation" })),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "Passwords do not match" });

export type SignupInput = z.infer<typeof signupSchema>;

export const loginSchema = z.object({ email: emailSchema, password: z.string().meta({ title: "Password" }).min(1) });

export const changePasswordSchema = z
  .object({ currentPassword: z.string().meta({ title: "Current password" }).min(1), newPassword: passwordSchema.meta({ title: "New password" }) })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a new password different from the current one" });
