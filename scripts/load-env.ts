import nextEnv from "@next/env";

/** Scripts outside Next read .env/.env.local the same way `next start` does. */
export function loadEnvFiles(): void {
  nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");
}
