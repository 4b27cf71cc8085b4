// The product's error wording, as every entry point installs it (server/errors/zod-messages.ts).
import "@/server/errors/zod-messages";

// Tests never depend on a developer's .env files; these are throwaway values.
process.env.NEXTAUTH_SECRET ??= "test-secret-0123456789abcdef0123456789abcdef";
process.env.ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.APP_URL ??= "http://localhost:3000";
