import { z } from "zod";
import { isStorableText, storable } from "../http/text";

const COMMON_PASSWORDS = new Set(["password", "password1", "password123", "12345678", "123456789", "1234567890", "qwerty123", "letmein123", "welcome123", "iloveyou1", "admin12345"]);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .pipe(z.email("Enter a valid email address"));

export const passwordSchema = storable(z.string())
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters")
  .refine((p) => /[a-zA-Z]/.test(p) && /[0-9]/.test(p), "Password must contain letters and numbers")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "This password is too common");

// Beyond what Postgres cannot store (NUL, lone surrogates): tabs, line breaks and other invisible
// controls have no place in a name shown across the product.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/;

export const signupSchema = z
  .object({
    companyName: z
      .string()
      .trim()
      .min(2, "Company name must be at least 2 characters")
      .max(100, "Company name is too long")
      .refine((name) => isStorableText(name) && !CONTROL_CHARACTERS.test(name), "Company name can only contain printable characters"),
    email: emailSchema,
    password: passwordSchema,
    confirmPassword: storable(z.string()),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "Passwords do not match" });

export type SignupInput = z.infer<typeof signupSchema>;

export const loginSchema = z.object({ email: emailSchema, password: z.string().min(1, "Password is required") });

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password"), newPassword: passwordSchema })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one" });
