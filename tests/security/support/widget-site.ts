import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { GET as getConfig } from "@/app/api/widget/[key]/config/route";
import { GET as getHistoryRoute } from "@/app/api/widget/[key]/history/route";
import { POST as postMessage } from "@/app/api/widget/[key]/messages/route";
import { POST as postSession } from "@/app/api/widget/[key]/session/route";
import { POST as postUploadRoute } from "@/app/api/widget/[key]/uploads/route";
import { GET as getUploadRoute } from "@/app/api/widget/[key]/uploads/[id]/route";
import { hashPassword } from "@/server/auth/passwords";
import { findWebChannelByPublicKey, getChannelSecrets, upsertChannel } from "@/server/channels/channel-service";
import { issueVisitorToken, newVisitorId } from "@/server/channels/visitor-token";
import { resolveWidget } from "@/server/channels/web-widget";
import { getDb } from "@/server/db";
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
export async function openWidgetSite(db: Db, name: string, settings: Record<string, unknown> = {}) {
  const { tenant } = await createTenantWithOwner(db, { companyName: name, email: `${name}-${randomBytes(4).toString("hex")}@example.com`, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true, plan: "enterprise" });
  const flow = await createFlow(db, tenant.id, null, { name: "code-word", definition: CODE_WORD_FLOW });
  await publishFlow(db, tenant.id, null, flow.id);
  const channel = await upsertChannel(db, tenant.id, null, { type: "web", enabled: true, settings: { allowed_origins: [SITE], ...settings }, secrets: {} });
  const { identity_secret } = await getChannelSecrets(db, tenant.id, "web");
  return { tenantId: tenant.id, key: channel.publicKey!, identitySecret: identity_secret! };
}

/** An address of its own per test run: the limiter's store (a shared Redis in CI) outlives the test database. */
export const freshAddress = () => `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}::${randomBytes(2).toString("hex")}`;

// Flood tests mint hundreds of tokens: the key's channel is looked up once (keys are never reused).
const channelIds = new Map<string, string>();
async function channelIdOf(key: string): Promise<string> {
  const known = channelIds.get(key);
  if (known) return known;
  const channel = await findWebChannelByPublicKey(getDb(), key);
  if (!channel) throw new Error(`no widget ${key}`);
  channelIds.set(key, channel.id);
  return channel.id;
}

/**
 * A visitor token for the widget, signed as the session route signs it, for tests about something else than
 * sessions: `visitorId` names the visitor (end user `web:<visitorId>`), `userId` makes a verified one.
 */
export async function visitorToken(key: string, opts: { visitorId?: string; userId?: string; now?: Date } = {}): Promise<string> {
  // A verified user's token names the widget's identity secret of the moment, as the session route's does.
  const identity = opts.userId ? (await resolveWidget(getDb(), key)).currentIdentity() : null;
  return issueVisitorToken({ channelId: await channelIdOf(key), visitorId: opts.visitorId ?? newVisitorId(), userId: opts.userId ?? null, identity, name: null, email: null }, opts.now ?? new Date()).token;
}

/** `token: null` sends none; left out, a new anonymous visitor's token is sent. */
type Options = { origin?: string | null; address?: string; headers?: Record<string, string>; token?: string | null };

async function headersFor(key: string, { origin = SITE, address, headers = {}, token }: Options): Promise<Record<string, string>> {
  const bearer = token === undefined ? await visitorToken(key) : token;
  return { ...(origin ? { origin } : {}), ...(address ? { [CLIENT_ADDRESS_HEADER]: address } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers };
}

const params = (key: string) => ({ params: Promise.resolve({ key }) });

/** POSTs to the widget's messages route as the embed script does; a non-string body is sent as JSON. */
export async function postWidget(key: string, body: unknown, options: Options & { init?: RequestInit } = {}): Promise<Response> {
  const init: RequestInit = { method: "POST", headers: { "content-type": "application/json", ...(await headersFor(key, options)) }, body: typeof body === "string" ? body : JSON.stringify(body), ...options.init };
  return postMessage(new Request(`${BASE}/api/widget/${key}/messages`, init), params(key));
}

export async function getWidgetConfig(key: string, options: Omit<Options, "token"> = {}): Promise<Response> {
  return getConfig(new Request(`${BASE}/api/widget/${key}/config`, { headers: await headersFor(key, { ...options, token: null }) }), params(key));
}

/** POST /session with the given body (no visitor token header: the session call carries its token in the body). */
export async function startSession(key: string, body: Record<string, unknown> = {}, options: Omit<Options, "token"> = {}): Promise<Response> {
  const headers = { "content-type": "application/json", ...(await headersFor(key, { ...options, token: null })) };
  return postSession(new Request(`${BASE}/api/widget/${key}/session`, { method: "POST", headers, body: JSON.stringify(body) }), params(key));
}

export async function getHistory(key: string, query: Record<string, string>, options: Options = {}): Promise<Response> {
  return getHistoryRoute(new Request(`${BASE}/api/widget/${key}/history?${new URLSearchParams(query)}`, { headers: await headersFor(key, options) }), params(key));
}

/** Uploads raw bytes as the widget does: Content-Type and a URI-encoded X-Filename. */
export async function postUpload(key: string, file: { bytes: Uint8Array | ReadableStream<Uint8Array>; type: string; name: string }, options: Options & { init?: RequestInit } = {}): Promise<Response> {
  const headers = { "content-type": file.type, "x-filename": encodeURIComponent(file.name), ...(await headersFor(key, options)) };
  const body = file.bytes instanceof Uint8Array ? new Uint8Array(file.bytes) : file.bytes;
  return postUploadRoute(new Request(`${BASE}/api/widget/${key}/uploads`, { method: "POST", headers, body, ...options.init }), params(key));
}

/** The upload as an <img> (or the dashboard) fetches it: by its URL alone. */
export function getUpload(url: string): Promise<Response> {
  const [, key, id] = new URL(url).pathname.match(/^\/api\/widget\/([^/]+)\/uploads\/([^/]+)$/)!;
  return getUploadRoute(new Request(url), { params: Promise.resolve({ key: decodeURIComponent(key!), id: id! }) });
}
