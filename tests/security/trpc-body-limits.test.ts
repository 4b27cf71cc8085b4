import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { listFlows } from "@/server/flow-store/flow-service";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { handleTrpcRequest, TRPC_MAX_BODY_BYTES } from "@/server/trpc/fetch-handler";
import { logIn } from "../helpers/auth-session";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { APP_ORIGIN, SAME_ORIGIN, trpcHttp } from "../helpers/trpc-http";

const PASSWORD = "limits-horse-42";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const deps = () => ({ db: handle.db, kv, mailer: createCaptureMailer() });
let me: { tenantId: string; cookie: string };

beforeAll(async () => {
  handle = await createTestDb();
  const email = `trpc-limits-${randomUUID().slice(0, 8)}@example.com`;
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Limits Co", email, passwordHash: await hashPassword(PASSWORD), verified: true });
  me = { tenantId: tenant.id, cookie: (await logIn({ db: handle.db, kv }, email, PASSWORD)).cookie };
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

const createFlow = (definition: unknown) => trpcHttp(deps(), "mutation", "flows.create", { input: { name: "big", definition }, cookie: me.cookie, headers: SAME_ORIGIN });

describe("tRPC request bodies", () => {
  it("refuses a streamed body past the cap with 413, cancelling the stream, and stores nothing", async () => {
    const meter = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          meter.pulled += 64 * 1024;
          controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        },
        cancel() {
          meter.cancelled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const req = new Request(`${APP_ORIGIN}/api/trpc/flows.create`, { method: "POST", headers: { "content-type": "application/json", cookie: me.cookie, ...SAME_ORIGIN }, body: stream, duplex: "half" } as RequestInit);
    const res = await handleTrpcRequest(req, deps());
    expect(res.status).toBe(413);
    expect((await res.json()).error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(meter.cancelled).toBe(true);
    expect(meter.pulled).toBeLessThanOrEqual(TRPC_MAX_BODY_BYTES + 64 * 1024);
    expect(await listFlows(handle.db, me.tenantId)).toEqual([]);
  });

  it("refuses JSON nested 10,000 levels deep with a 400 naming the problem, not a stack overflow", async () => {
    const deep = `{"json":{"name":"deep","definition":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    const req = new Request(`${APP_ORIGIN}/api/trpc/flows.create`, { method: "POST", headers: { "content-type": "application/json", cookie: me.cookie, ...SAME_ORIGIN }, body: deep });
    const res = await handleTrpcRequest(req, deps());
    const raw = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(raw).error.json.message).toContain("nested deeper than 64 levels");
    expect(raw).not.toMatch(/RangeError|call stack/i);
  });

  it("answers malformed JSON with a 400 from tRPC itself", async () => {
    const req = new Request(`${APP_ORIGIN}/api/trpc/flows.create`, { method: "POST", headers: { "content-type": "application/json", cookie: me.cookie, ...SAME_ORIGIN }, body: "{not json" });
    const res = await handleTrpcRequest(req, deps());
    expect(res.status).toBe(400);
    expect((await res.json()).error.json.data.code).toBe("BAD_REQUEST");
  });

  it("still takes a large flow definition (400 states) well under the cap", async () => {
    const states = Object.fromEntries(
      Array.from({ length: 400 }, (_, i) => [`s${i}`, { type: "response", config: { response_templates: { default: `Step ${i}` } }, transitions: i < 399 ? [{ condition: "any_input", target_state: `s${i + 1}` }] : [] }]),
    );
    const answer = await createFlow({ name: "big", version: "1.0", initial_state: "s0", states });
    expect(answer.status).toBe(200);
    expect((await listFlows(handle.db, me.tenantId)).map((f) => f.name)).toEqual(["big"]);
  });
});
