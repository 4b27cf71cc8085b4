import { eq } from "drizzle-orm";
import { loadEnvFiles } from "./load-env";

loadEnvFiles();
const { users } = await import("@/db/schema");
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
const [existing] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, DEMO_LOGIN.email));
if (existing) {
  console.log("Demo data already present.");
} else {
  const summary = await seedDemo(handle.db);
  console.log(`Seeded demo tenant ${summary.tenantId}: ${summary.conversations} conversations, ${summary.messages} messages over ${summary.days} days.`);
}
banner();
await handle.close();
