import { z } from "zod";
import { parseTrustedProxies } from "./http/client-address.mjs";
import "./errors/zod-messages";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.string().url().optional())
  .optional();

/**
 * How model provider calls are made (server/models/transport.ts): MOCK or unset, straight to the provider
 * (tests point it at the fake server); GOLDEN, replayed from the cassettes in CASSETTE_DIR; RECORD, passed
 * through and written there; LIVE_SMOKE, real providers in tests/live. Readable on its own (testModeSettings),
 * so tools that make provider calls need no app secrets.
 */
export const testModeSchema = z.object({
  TEST_MODE: z
    .enum(["", "MOCK", "GOLDEN", "RECORD", "LIVE_SMOKE"])
    .default("")
    .transform((v) => v || "MOCK"),
  CASSETTE_DIR: z.string().default("tests/cassettes"),
  /** Cassette playback speed: 1 keeps the recorded chunk timing, 2 halves the delays, 0 drops them. */
  CASSETTE_SPEED: z.coerce.number().min(0).default(1),
});

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalUrl,
  /** Postgres connections each app process keeps at most (a turn holds one while it runs). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  PGLITE_DIR: z.string().default(".data/pglite"),
  REDIS_URL: optionalUrl,
  UPSTASH_REDIS_REST_URL: optionalUrl,
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters (run `npm run demo` once to generate .env.local)"),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "ENCRYPTION_KEY must be 32 bytes, base64-encoded"),
  /** The key before ENCRYPTION_KEY, while `npm run cli -- keys rotate` re-encrypts secrets sealed with it; blank: none. */
  ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, "ENCRYPTION_KEY_PREVIOUS must be 32 bytes, base64-encoded"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default("Chatbot Platform <no-reply@localhost>"),
  CORS_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean)),
  VERIFICATION_TTL_SECONDS: z.coerce.number().int().positive().default(24 * 60 * 60),
  PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().positive().default(60 * 60),
  /** Sign-ups one client address may make per 10 minutes (the Playwright journeys all sign up from 127.0.0.1). */
  SIGNUPS_PER_ADDRESS: z.coerce.number().int().positive().default(5),
  LOGINS_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  /** host:port pairs that integrations and model base URLs may reach although they resolve to private addresses. */
  OUTBOUND_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((h) => h.trim().toLowerCase()).filter(Boolean)),
  /** Proxies whose X-Forwarded-For hops are believed: a hop count or CIDRs (read by scripts/next-worker.mjs). */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    }),
  /** Where widget uploads are stored on disk when no bucket is set (created as needed). */
  UPLOADS_DIR: z.string().default(".data/uploads"),
  /** An S3-compatible bucket for widget uploads, as http(s)://KEY:SECRET@host[:port]/BUCKET?region=REGION; blank: UPLOADS_DIR. */
  UPLOADS_S3_URL: optionalUrl,
  /** Set by `npm run demo`: serves the demo store API the demo flow calls. Never set in production. */
  DEMO_MODE: z
    .enum(["", "0", "1", "false", "true"])
    .default("")
    .transform((v) => v === "1" || v === "true"),
}).extend(testModeSchema.shape);

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parses process.env once; a missing or malformed setting fails loudly with every problem listed. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment (set these in the environment or .env.local; \`npm run demo\` writes one):\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Read at each call, so a test can switch modes by setting process.env. */
export function testModeSettings(): z.infer<typeof testModeSchema> {
  return testModeSchema.parse(process.env);
}

export function resetEnvForTests(): void {
  cached = undefined;
}
