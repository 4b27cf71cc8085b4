import { count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { messages } from "@/db/schema";
import { hashPassword } from "../auth/passwords";
import { upsertChannel } from "../channels/channel-service";
import { createFlow, publishFlow } from "../flow-store/flow-service";
import demoFlow from "../flows/demo-flow.json";
import { processMessage } from "../pipeline/process-message";
import { createApiKey } from "../tenants/api-keys";
import { createTenantWithOwner } from "../tenants/tenant-service";
import { env } from "../env";
import { createDemoIntegrations } from "./demo-integrations";

const DEMO_API_PLACEHOLDER = "https://api.acme.example";

export const DEMO_LOGIN = { email: "demo@acme.test", password: "demo-password-2026", company: "Acme Store" };

const SCRIPTS: string[][] = [
  ["Hello", "I'm looking for a laptop", "Under $1000, for programming", "Show me some options"],
  ["Hi there", "What are your opening hours?"],
  ["I need help with my order", "Order number ORD123456"],
  ["My order arrived damaged", "It's order #48213"],
  ["I want to order a pizza", "Large pepperoni please"],
  ["Hello", "I want to talk to a human"],
  ["Do you sell headphones?", "under $200 for travel"],
  ["asdfgh qwerty"],
  ["Good morning", "When do you open on Saturday?", "Thanks"],
];
const CHANNELS = ["web", "web", "web", "whatsapp", "slack", "messenger"] as const;

/** Deterministic so every demo install shows the same history. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}

export async function seedDemo(db: Db, opts: { days?: number; now?: Date } = {}) {
  const days = opts.days ?? 21;
  const now = opts.now ?? new Date();
  const { tenant, user } = await createTenantWithOwner(db, {
    companyName: DEMO_LOGIN.company,
    email: DEMO_LOGIN.email,
    passwordHash: await hashPassword(DEMO_LOGIN.password),
    plan: "professional",
    verified: true,
  });
  await upsertChannel(db, tenant.id, user.id, {
    type: "web",
    enabled: true,
    settings: { title: "Acme Store", welcome_message: "Hi! I can help you find a product or track an order.", brand_color: "#0f766e" },
    secrets: {},
  });
  // The demo flow's integrations point at the demo store API this app serves itself.
  const definition = JSON.parse(JSON.stringify(demoFlow).replaceAll(DEMO_API_PLACEHOLDER, `${env().APP_URL}/api/demo`));
  const flow = await createFlow(db, tenant.id, user.id, { name: "Acme store assistant", definition });
  await publishFlow(db, tenant.id, user.id, flow.id);
  await createApiKey(db, tenant.id, user.id, "Demo key");

  const random = prng(42);
  let conversations = 0;
  for (let day = days; day >= 1; day--) {
    const perDay = 6 + Math.floor(random() * 8);
    for (let c = 0; c < perDay; c++) {
      const script = SCRIPTS[Math.floor(random() * SCRIPTS.length)]!;
      const channel = CHANNELS[Math.floor(random() * CHANNELS.length)]!;
      const start = new Date(now.getTime() - day * 86_400_000 + Math.floor(random() * 12 * 3_600_000));
      let conversationId: string | undefined;
      for (const [turn, text] of script.entries()) {
        const at = new Date(start.getTime() + turn * 40_000);
        const deps = { db, now: () => at, integrations: createDemoIntegrations() };
        const result = await processMessage(deps, tenant.id, {
          user_id: `demo-visitor-${day}-${c}`,
          channel,
          conversation_id: conversationId,
          content: { type: "text", text },
          channel_metadata: { user_name: ["Sam", "Alex", "Priya", "Jordan", "Mei"][c % 5] },
        });
        conversationId = result.conversation_id;
      }
      conversations++;
    }
  }
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(messages).where(eq(messages.tenantId, tenant.id));
  return { tenantId: tenant.id, conversations, messages: Number(n), days };
}
