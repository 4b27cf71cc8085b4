/** Thrown by the login when something other than the credentials failed (database down, a bug). */
export const LOGIN_UNAVAILABLE = "LOGIN_UNAVAILABLE";

const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: "Wrong email or password.",
  EMAIL_NOT_VERIFIED: "Please verify your email address first. Check your inbox for the verification link.",
  TOO_MANY_ATTEMPTS: "Too many failed attempts. Please wait 5 minutes and try again.",
  [LOGIN_UNAVAILABLE]: "Logging in is not possible right now. Please try again in a minute.",
};

/**
 * The sentence the login page shows for an error code from next-auth. Anything else (a code we do not
 * know, or text that is not a code at all) gets a plain sentence: raw errors are never shown.
 */
export function loginErrorMessage(code: string | null | undefined): string {
  return (code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code] : undefined) ?? "We could not log you in. Please try again.";
}
