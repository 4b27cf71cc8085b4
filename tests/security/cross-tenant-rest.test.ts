import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachments } from "@/db/schema";
import { installKv } from "@/server/cache";
import { findWebChannelByPublicKey } from "@/server/channels/channel-service";
import { installDbHandle } from "@/server/db";
import { resetEnvForTests } from "@/server/env";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { FOREIGN_WORD, leakedMarkers } from "./support/foreign-markers";
import { snapshotTenant } from "./support/tenant-snapshot";
import { seedTwoTenants, type Foreign, type Own } from "./support/two-tenants";
import { visitorToken } from "./support/widget-site";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Method = (typeof METHODS)[number];

/** One request by tenant A (A's API key or A's widget key) naming B's data, and the status it must get. */
type Attempt = { params?: Record<string, string>; query?: Record<string, string>; headers?: Record<string, string>; body?: unknown; env?: Record<string, string>; expect: 200 | 201 | 403 | 404 };
/** Either the attempts (every answer must also carry nothing of B's, and B must be unchanged) or why the handler holds no tenant data. */
type RouteCase = { attempts: (b: Foreign, a: Own) => Attempt[] } | { why: string };

const PREFLIGHT = { why: "CORS preflight: answers headers only and reads no tenant data" };
const TRPC = { why: "every procedure behind it is tried by cross-tenant-trpc.test.ts through the same router and middlewares" };
const NEXTAUTH = { why: "next-auth sign-in, session and sign-out: identifies a user, not a tenant; what a session reaches is the tRPC matrix" };
const DEMO = { why: "the demo store's fixed catalogue and orders: no tenant data" };

const apiKey = (a: Own, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${a.apiKey}`, ...extra });
const foreignConversations = (b: Foreign) => Object.values(b.conversations);
const hello = (user_id: string, channel = "whatsapp") => ({ user_id, channel, content: { type: "text", text: "Show me my order" } });

/** Both conversation read routes: B's conversation ids are 404; B's X-Tenant-ID with A's key is 403 even on A's own conversation. */
const conversationRead = (query: Record<string, string> = {}): RouteCase => ({
  attempts: (b, a) => [
    ...foreignConversations(b).map((id) => ({ params: { id }, query, headers: apiKey(a), expect: 404 as const })),
    { params: { id: a.conversationId }, query, headers: apiKey(a, { "x-tenant-id": b.tenantId }), expect: 403 },
  ],
});

/** A chat turn into B's conversations (404) or under B's X-Tenant-ID (403). */
const intoForeignConversations = (b: Foreign, a: Own): Attempt[] => [
  ...foreignConversations(b).map((conversation_id) => ({ headers: apiKey(a), body: { ...hello(b.restEndUser), conversation_id }, expect: 404 as const })),
  { headers: apiKey(a, { "x-tenant-id": b.tenantId }), body: hello(b.restEndUser), expect: 403 },
];

const ROUTES: Record<string, Partial<Record<Method, RouteCase>>> = {
  "app/api/auth/[...nextauth]/route.ts": { GET: NEXTAUTH, POST: NEXTAUTH },
  "app/api/bench/bare/route.ts": { POST: { why: "inert (404) unless BENCH_MODE=1, and then it writes only into the tenant the server's BENCH_TENANT_ID names: no request can name a tenant or read anything" } },
  "app/api/bench/floor/route.ts": { POST: { why: "inert (404) unless BENCH_MODE=1, and then it answers a constant without reading the request or any data" } },
  "app/api/demo/catalog/search/route.ts": { GET: DEMO },
  "app/api/demo/orders/[orderNumber]/route.ts": { GET: DEMO },
  "app/api/trpc/[trpc]/route.ts": { GET: TRPC, POST: TRPC },
  "app/api/v2/chat/conversations/[id]/history/route.ts": { GET: conversationRead({ page_size: "100" }), OPTIONS: PREFLIGHT },
  "app/api/v2/chat/conversations/[id]/route.ts": { GET: conversationRead(), OPTIONS: PREFLIGHT },
  "app/api/v2/chat/message/route.ts": {
    POST: {
      attempts: (b, a) => [
        ...intoForeignConversations(b, a),
        // B's end user id and B's message id (the idempotency key) are only names inside A: a new turn of A's, never B's stored reply.
        { headers: apiKey(a), body: { ...hello(b.restEndUser), message_id: b.restMessageId }, expect: 200 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/v2/chat/messages/search/route.ts": {
    GET: {
      attempts: (b, a) => [
        { query: { q: "4242" }, headers: apiKey(a), expect: 200 },
        { query: { q: FOREIGN_WORD }, headers: apiKey(a), expect: 200 },
        { query: { q: "order" }, headers: apiKey(a, { "x-tenant-id": b.tenantId }), expect: 403 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/inbox/stream/route.ts": {
    GET: { why: "the dashboard's live inbox: a signed-in session's active workspace, never a key; tests/integration/inbox-stream.test.ts proves it refuses another workspace's conversation and streams nothing of it" },
  },
  "app/api/v2/analytics/summary/route.ts": {
    GET: {
      attempts: (b, a) => [
        { query: { from: "2026-01-01", to: "2026-12-31" }, headers: apiKey(a), expect: 200 },
        { query: { from: "2026-01-01", to: "2026-12-31" }, headers: apiKey(a, { "x-tenant-id": b.tenantId }), expect: 403 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/v2/chat/conversations/[id]/handoff/route.ts": {
    POST: {
      attempts: (b, a) => [
        ...foreignConversations(b).flatMap((id) =>
          [{ action: "take", agent_email: a.ownerEmail }, { action: "release" }, { action: "resolve" }].map((body) => ({ params: { id }, headers: apiKey(a), body, expect: 404 as const })),
        ),
        { params: { id: a.conversationId }, headers: apiKey(a, { "x-tenant-id": b.tenantId }), body: { action: "resolve" }, expect: 403 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/v2/chat/conversations/[id]/agent-messages/route.ts": {
    POST: {
      attempts: (b, a) => [
        ...foreignConversations(b).map((id) => ({ params: { id }, headers: apiKey(a), body: { text: "hello from alpha", agent_email: a.ownerEmail }, expect: 404 as const })),
        { params: { id: a.conversationId }, headers: apiKey(a, { "x-tenant-id": b.tenantId }), body: { text: "hello from alpha", agent_email: a.ownerEmail }, expect: 403 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/v2/health/route.ts": { GET: { why: "process health of Postgres and Redis: no tenant data" } },
  "app/api/v2/openapi.json/route.ts": { GET: { why: "the static API description: no tenant data" } },
  // The key selects the tenant and the route takes no other id: A's key must show A's widget and nothing of B's.
  "app/api/widget/[key]/config/route.ts": { GET: { attempts: (_b, a) => [{ params: { key: a.widgetKey }, headers: { origin: "https://alpha.example" }, expect: 200 }] } },
  "app/api/widget/[key]/conversations/[id]/events/route.ts": {
    GET: {
      attempts: (b, a) => [
        ...foreignConversations(b).map((id) => ({ params: { key: a.widgetKey, id }, headers: visitor(widget.bravoOnAlpha), expect: 404 as const })),
        { params: { key: a.widgetKey, id: b.conversations.widget }, headers: visitor(widget.alpha), expect: 404 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/widget/[key]/history/route.ts": {
    GET: {
      attempts: (b, a) => [
        ...foreignConversations(b).map((conversation_id) => ({ params: { key: a.widgetKey }, query: { conversation_id }, headers: visitor(widget.bravoOnAlpha), expect: 404 as const })),
        // B's visitor id through A's widget is a visitor of A's with no conversation: an empty history, nothing of B's.
        { params: { key: a.widgetKey }, headers: visitor(widget.bravoOnAlpha), expect: 200 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/widget/[key]/messages/route.ts": {
    POST: {
      attempts: (b, a) => [
        ...foreignConversations(b).map((conversation_id) => ({ params: { key: a.widgetKey }, headers: visitor(widget.alpha), body: { conversation_id, text: "hi" }, expect: 404 as const })),
        // B's own visitor id does not open B's conversation through A's widget.
        { params: { key: a.widgetKey }, headers: visitor(widget.bravoOnAlpha), body: { conversation_id: b.conversations.widget, text: "hi" }, expect: 404 },
        { params: { key: a.widgetKey }, headers: visitor(widget.bravoOnAlpha), body: { attachment_id: widget.bravoAttachment }, expect: 404 },
        { params: { key: a.widgetKey }, headers: visitor(widget.bravoOnAlpha), body: { text: "hi" }, expect: 200 },
      ],
    },
    OPTIONS: PREFLIGHT,
  },
  "app/api/widget/[key]/session/route.ts": {
    // B's visitor token presented to A's widget starts a new visitor of A's: no conversation of B's is named.
    POST: { attempts: (_b, a) => [{ params: { key: a.widgetKey }, body: { visitor_token: widget.bravoOwn }, expect: 200 }] },
    OPTIONS: PREFLIGHT,
  },
  "app/api/widget/[key]/uploads/route.ts": {
    // The upload is stored under A (B is checked unchanged); the answer names only the new file.
    POST: { attempts: (_b, a) => [{ params: { key: a.widgetKey }, headers: { ...visitor(widget.bravoOnAlpha), "content-type": "text/plain" }, body: "hello", expect: 201 }] },
    OPTIONS: PREFLIGHT,
  },
  "app/api/webhooks/[type]/[channelId]/route.ts": {
    GET: { why: "Meta's handshake, answered only for the channel's own verify token (whatsapp-channel.test.ts): no API key names a tenant here" },
    POST: { why: "authenticated by the channel's own signature, never a tenant key: webhook-signatures.test.ts signs with another tenant's channel secret (401, nothing stored)" },
  },
  "app/api/widget/[key]/uploads/[id]/route.ts": { GET: { attempts: (_b, a) => [{ params: { key: a.widgetKey, id: widget.bravoAttachment }, expect: 404 }] } },
};

const routeFiles = (readdirSync("app/api", { recursive: true }) as string[])
  .filter((file) => path.basename(file) === "route.ts")
  .map((file) => path.posix.join("app/api", file.split(path.sep).join("/")))
  .sort();
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const loadRoute = (file: string) => import(path.resolve(file)) as Promise<Partial<Record<Method, Handler>>>;

const tried = Object.entries(ROUTES).flatMap(([file, methods]) =>
  Object.entries(methods).flatMap(([method, c]) => ("attempts" in c ? [[file, method as Method, c.attempts] as const] : [])),
);

const BASE = "http://localhost:3000";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let a: Own;
let b: Foreign;
let markers: string[];
/** Visitor tokens (A's widget for A's visitor and for B's visitor id; B's widget for B's) and an upload of B's. */
const widget = { alpha: "", bravoOnAlpha: "", bravoOwn: "", bravoAttachment: "" };
const visitor = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  // The upload case stores a file: somewhere of the test's own, never the app's .data/.
  process.env.UPLOADS_DIR = await mkdtemp(path.join(tmpdir(), "cross-tenant-uploads-"));
  resetEnvForTests();
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  ({ own: a, foreign: b, markers } = await seedTwoTenants({ db: handle.db, kv, mailer: createCaptureMailer() }));
  widget.alpha = await visitorToken(a.widgetKey, { visitorId: "alpha-visitor-0001" });
  widget.bravoOnAlpha = await visitorToken(a.widgetKey, { visitorId: b.widgetVisitor });
  widget.bravoOwn = await visitorToken(b.widgetKey, { visitorId: b.widgetVisitor });
  // Only the row matters here: A's key must not reach it, so no bytes are ever read.
  const bravoChannel = (await findWebChannelByPublicKey(handle.db, b.widgetKey))!;
  const [upload] = await handle.db
    .insert(attachments)
    .values({ tenantId: b.tenantId, channelId: bravoChannel.id, endUserId: `web:${b.widgetVisitor}`, storage: "local", storageKey: `${b.tenantId}/receipt`, mimeType: "image/png", sizeBytes: 10, filename: `${FOREIGN_WORD}-receipt.png`, sha256: "0".repeat(64) })
    .returning();
  widget.bravoAttachment = upload!.id;
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
  await rm(process.env.UPLOADS_DIR!, { recursive: true, force: true });
  delete process.env.UPLOADS_DIR;
  resetEnvForTests();
});

/** The URL the file's path pattern serves, with its [segments] filled in. */
function urlFor(file: string, params: Record<string, string>, query: Record<string, string>): URL {
  const pattern = `/${path.posix.dirname(file).replace(/^app\//, "")}`;
  const url = new URL(pattern.replace(/\[(\w+)\]/g, (_, name: string) => encodeURIComponent(params[name]!)), BASE);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

describe("cross-tenant matrix over every REST route", () => {
  it("has a case for every handler exported by every route file under app/api", async () => {
    const missing: string[] = [];
    for (const file of routeFiles) {
      const exported = Object.keys(await loadRoute(file)).filter((k): k is Method => (METHODS as readonly string[]).includes(k));
      for (const method of exported) if (!ROUTES[file]?.[method]) missing.push(`${method} ${file}`);
      for (const method of Object.keys(ROUTES[file] ?? {})) if (!exported.includes(method as Method)) missing.push(`case without handler: ${method} ${file}`);
    }
    for (const file of Object.keys(ROUTES)) if (!routeFiles.includes(file)) missing.push(`case without route file: ${file}`);
    expect(missing).toEqual([]);
  });

  it.each(tried)("%s %s: A's key aimed at B's data gets 404/403, nothing of B's, and B is unchanged", async (file, method, attempts) => {
    const handler = (await loadRoute(file))[method]!;
    const before = await snapshotTenant(handle.db, b.tenantId);
    for (const { params = {}, query = {}, headers = {}, body, env = {}, expect: status } of attempts(b, a)) {
      const url = urlFor(file, params, query);
      const init = body === undefined ? { method, headers } : { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
      const res = await withEnv(env, () => handler(new Request(url, init), { params: Promise.resolve(params) }));
      const said = await res.text();
      const asked = `${url} ${JSON.stringify(headers)} ${JSON.stringify(body) ?? ""}`;
      expect(res.status, `${method} ${url.pathname}${url.search} ${JSON.stringify(body) ?? ""} -> ${said}`).toBe(status);
      expect(leakedMarkers(markers, said, asked), `B's data in the answer: ${said}`).toEqual([]);
    }
    expect(await snapshotTenant(handle.db, b.tenantId)).toEqual(before);
  });
});
