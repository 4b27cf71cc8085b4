import { z } from "zod";

const COMMON_PASSWORDS = new Set(["password", "password1", "password123", "12345678", "123456789", "1234567890", "qwerty123", "letmein123", "welcome123", "iloveyou1", "admin12345"]);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Email is required")
  .pipe(z.email("Enter a valid email address"));

export const passwordSchema = z
  .string()
  .min(10, "Password must be at least 10 characters")
  .max(200, "Password must be at most 200 characters")
  .refine((p) => /[a-zA-Z]/.test(p) && /[0-9]/.test(p), "Password must contain letters and numbers")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "This password is too common");

export const signupSchema = z
  .object({
    companyName: z.string().trim().min(2, "Company name must be at least 2 characters").max(100, "Company name is too long"),
    email: emailSchema,
    password: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "Passwords do not match" });

export type SignupInput = z.infer<typeof signupSchema>;

export const loginSchema = z.object({ email: emailSchema, password: z.string().min(1, "Password is required") });
