import { loadEnvFiles } from "./load-env";

loadEnvFiles();
const { dbHandle } = await import("@/server/db");
const { seedDemo, DEMO_LOGIN } = await import("@/server/demo/seed");

const banner = () =>
  console.log(`\n  Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}\n  Open ${process.env.APP_URL ?? "http://localhost:3000"}/login\n`);

if (process.argv.includes("--print-login")) {
  banner();
  process.exit(0);
}

const handle = dbHandle();
await handle.migrate();
// Also fills an older demo workspace that has no conversation history yet.
const summary = await seedDemo(handle.db);
console.log(summary.seeded ? `Seeded demo tenant ${summary.tenantId}: ${summary.conversations} conversations, ${summary.messages} messages over ${summary.days} days.` : "Demo data already present.");
banner();
await handle.close();
