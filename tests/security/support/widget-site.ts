import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { GET as getConfig } from "@/app/api/widget/[key]/config/route";
import { POST as postMessage } from "@/app/api/widget/[key]/messages/route";
import { hashPassword } from "@/server/auth/passwords";
import { upsertChannel } from "@/server/channels/channel-service";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { CLIENT_ADDRESS_HEADER } from "@/server/http/client-address.mjs";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";

export const SITE = "https://shop.example.com";
const BASE = "http://localhost:3000";

/** A bot that remembers a code word and repeats it on every later turn: a reply shows whose state it ran on. */
const CODE_WORD_FLOW = {
  name: "code-word",
  version: "1.0",
  initial_state: "ask",
  states: {
    ask: { type: "slot_filling", config: { required_slots: ["code"], prompts: { code: "What's your code word?" } }, transitions: [{ condition: "slot_filled", target_state: "remember" }] },
    remember: { type: "response", config: { response_templates: { default: "Your code word is {code}." } }, transitions: [{ condition: "any_input", target_state: "remember" }] },
  },
};

/** A tenant whose web widget may be embedded on SITE only, running the code-word bot. */
export async function openWidgetSite(db: Db, name: string) {
  const { tenant } = await createTenantWithOwner(db, { companyName: name, email: `${name}-${randomBytes(4).toString("hex")}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan: "enterprise" });
  const flow = await createFlow(db, tenant.id, null, { name: "code-word", definition: CODE_WORD_FLOW });
  await publishFlow(db, tenant.id, null, flow.id);
  const channel = await upsertChannel(db, tenant.id, null, { type: "web", enabled: true, settings: { allowed_origins: [SITE] }, secrets: {} });
  return { tenantId: tenant.id, key: channel.publicKey! };
}

/** An address of its own per test run: the limiter's store (a shared Redis in CI) outlives the test database. */
export const freshAddress = () => `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::${randomBytes(2).toString("hex")}`;

type Options = { origin?: string | null; address?: string; headers?: Record<string, string> };

function headersFor({ origin = SITE, address, headers = {} }: Options): Record<string, string> {
  return { ...(origin ? { origin } : {}), ...(address ? { [CLIENT_ADDRESS_HEADER]: address } : {}), ...headers };
}

/** POSTs to the widget's messages route as the embed script does; a non-string body is sent as JSON. */
export function postWidget(key: string, body: unknown, options: Options & { init?: RequestInit } = {}): Promise<Response> {
  const init: RequestInit = { method: "POST", headers: { "content-type": "application/json", ...headersFor(options) }, body: typeof body === "string" ? body : JSON.stringify(body), ...options.init };
  return postMessage(new Request(`${BASE}/api/widget/${key}/messages`, init), { params: Promise.resolve({ key }) });
}

export function getWidgetConfig(key: string, options: Options = {}): Promise<Response> {
  return getConfig(new Request(`${BASE}/api/widget/${key}/config`, { headers: headersFor(options) }), { params: Promise.resolve({ key }) });
}
