import { env } from "../env";
import { addressBucket, type Bucket } from "./throttle";

/** Sign-up and verification resend both send mail; their limits share one window. */
const AUTH_MAIL_WINDOW_MS = 10 * 60 * 1000;
/** Mails sign-up and resend together may send one address per window, so neither can flood an inbox. */
export const AUTH_MAILS_PER_EMAIL = 3;
export const RESENDS_PER_ADDRESS = 5;

export const TOO_MANY_MAILS = "Too many requests for this address. Please wait a few minutes and try again.";

const mailBucket = (email: string): Bucket => ({ key: `auth-mail:email:${email}`, limit: AUTH_MAILS_PER_EMAIL, windowMs: AUTH_MAIL_WINDOW_MS });

export const signupBuckets = (email: string, ip: string | null): Bucket[] => [
  ...addressBucket("signup", ip, env().SIGNUPS_PER_ADDRESS, AUTH_MAIL_WINDOW_MS),
  mailBucket(email),
];

export const resendBuckets = (email: string, ip: string | null): Bucket[] => [
  ...addressBucket("resend", ip, RESENDS_PER_ADDRESS, AUTH_MAIL_WINDOW_MS),
  mailBucket(email),
];

/** Taken for every password reset request, whether or not the address has an account, so the limit tells nothing either. */
export const passwordResetBuckets = (email: string, ip: string | null): Bucket[] => [
  ...addressBucket("reset", ip, RESENDS_PER_ADDRESS, AUTH_MAIL_WINDOW_MS),
  mailBucket(email),
];
