export const E2E_PORT = 3100;
export const E2E_SMTP_PORT = 2526;
// Short enough that the expired-link journey can wait it out, long enough for the happy path.
export const E2E_VERIFICATION_TTL_SECONDS = 12;
// The fake model server of e2e/models.spec.ts; the app reaches it only because playwright.config.ts allows it (OUTBOUND_ALLOWED_HOSTS).
export const E2E_LLM_PORT = 8095;
