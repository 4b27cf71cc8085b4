import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E_LLM_PORT, E2E_PORT, E2E_SMTP_PORT, E2E_VERIFICATION_TTL_SECONDS } from "./e2e/support/ports";

const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    // The demo workspace with its weeks of history, for the analytics journey; journeys sign up workspaces of their own.
    command: "npx tsx scripts/seed-demo.ts && npm start",
    url: `${baseURL}/api/v2/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: "production",
      PORT: String(E2E_PORT),
      APP_URL: baseURL,
      NEXTAUTH_URL: baseURL,
      SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
      VERIFICATION_TTL_SECONDS: String(E2E_VERIFICATION_TTL_SECONDS),
      // Every journey signs up and logs in from 127.0.0.1; the per-address limits themselves are proven in tests/security.
      SIGNUPS_PER_ADDRESS: "1000",
      LOGINS_PER_ADDRESS: "1000",
      // The fake model server of e2e/models.spec.ts is on loopback, which the SSRF guard refuses unless allowed;
      // so is the demo store API the seeded demo flow calls (served by this app, as in `npm run demo`).
      OUTBOUND_ALLOWED_HOSTS: `127.0.0.1:${E2E_LLM_PORT},127.0.0.1:${E2E_PORT}`,
      // Embedded runs get a throwaway database so journeys never see a developer's data.
      ...(process.env.DATABASE_URL ? {} : { PGLITE_DIR: mkdtempSync(path.join(tmpdir(), "e2e-pglite-")) }),
    },
  },
});
