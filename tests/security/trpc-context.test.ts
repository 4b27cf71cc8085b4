import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { invitations } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createTrpcContext } from "@/server/trpc/context";
import { logIn } from "../helpers/auth-session";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { APP_ORIGIN, SAME_ORIGIN, trpcHttp } from "../helpers/trpc-http";

const PASSWORD = "correct-horse-42";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const deps = () => ({ db: handle.db, kv, mailer });
let me: { email: string; tenantId: string; userId: string; cookie: string };
let second: { tenantId: string };

beforeAll(async () => {
  handle = await createTestDb();
  const addr = `context-${randomUUID().slice(0, 8)}@example.com`;
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: "Context Co", email: addr, passwordHash: await hashPassword(PASSWORD), verified: true });
  me = { email: addr, tenantId: tenant.id, userId: user.id, cookie: (await logIn({ db: handle.db, kv }, addr, PASSWORD)).cookie };
  const other = await createTenantWithOwner(handle.db, { companyName: "Second Co", email: `second-${addr}`, passwordHash: "x", verified: true });
  await handle.db.execute(sql`insert into memberships (tenant_id, user_id, role) values (${other.tenant.id}, ${user.id}, 'admin')`);
  second = { tenantId: other.tenant.id };
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("the real tRPC context, built from real requests", () => {
  it.each([
    ["not-a-uuid", "not-a-uuid"],
    ["bad percent-encoding", "%zz"],
    ["a lone percent sign", "%"],
    ["SQL", "' or 1=1 --"],
    ["an almost-UUID", "00000000-0000-0000-0000-00000000000g"],
    ["an encoded NUL", "%00"],
    ["5000 characters", "a".repeat(5000)],
  ])("ignores a malformed active_tenant cookie (%s): the user's own workspace, no 500", async (_label, value) => {
      const answer = await trpcHttp(deps(), "query", "tenant.current", { cookie: `${me.cookie}; active_tenant=${value}` });
      expect(answer.status).toBe(200);
      expect(answer.data).toMatchObject({ id: me.tenantId });
      expect(answer.raw).not.toMatch(/select|from "|invalid input syntax|URIError/i);
  });

  it("follows a well-formed active_tenant cookie the user is a member of", async () => {
    const answer = await trpcHttp(deps(), "query", "tenant.current", { cookie: `${me.cookie}; active_tenant=${second.tenantId}` });
    expect(answer.data).toMatchObject({ id: second.tenantId, role: "admin" });
  });

  it("treats a request without a session, or with a tampered one, as signed out", async () => {
    expect((await trpcHttp(deps(), "query", "tenant.current")).status).toBe(401);
    const tampered = me.cookie.replace(/.{6}$/, "AAAAAA");
    expect((await trpcHttp(deps(), "query", "tenant.current", { cookie: tampered })).status).toBe(401);
    const ctx = await createTrpcContext({ req: new Request(`${APP_ORIGIN}/api/trpc/tenant.current`, { headers: { cookie: tampered } }), resHeaders: new Headers() }, deps());
    expect(ctx.userId).toBeNull();
  });

  it.each([
    ["another site's Origin", { origin: "https://evil.example" }],
    ["a look-alike Origin", { origin: "http://localhost:3000.evil.example" }],
    ["an opaque Origin", { origin: "null" }],
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site" }],
    ["Sec-Fetch-Site: cross-site with our Origin", { origin: APP_ORIGIN, "sec-fetch-site": "cross-site" }],
  ])("refuses a cross-site mutation with a valid session cookie (%s): 403 and nothing changed", async (_label, headers) => {
    const before = await handle.db.select().from(invitations);
    const answer = await trpcHttp(deps(), "mutation", "team.invite", { cookie: me.cookie, headers, input: { email: "csrf-victim@example.com", role: "owner" } });
    expect(answer.status).toBe(403);
    expect(answer.error?.data.code).toBe("FORBIDDEN");
    expect(await handle.db.select().from(invitations)).toEqual(before);
  });

  it.each([
    ["our own origin", SAME_ORIGIN],
    ["the origin the request was addressed to", { origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000" }],
    ["a non-browser client (neither header)", {}],
  ])("accepts a mutation from %s", async (_label, headers) => {
    const answer = await trpcHttp(deps(), "mutation", "team.invite", { cookie: me.cookie, headers, input: { email: `teammate-${randomUUID().slice(0, 6)}@example.com`, role: "member" } });
    expect(answer.status).toBe(200);
  });

  it("marks the active_tenant cookie Secure when served over https, and only then", async () => {
    const overHttps = await trpcHttp(deps(), "mutation", "tenant.switch", { cookie: me.cookie, headers: { ...SAME_ORIGIN, "x-forwarded-proto": "https" }, input: { tenantId: second.tenantId } });
    expect(overHttps.headers.get("set-cookie")).toMatch(new RegExp(`^active_tenant=${second.tenantId}; .*HttpOnly; SameSite=Lax.*; Secure$`));
    const overHttp = await trpcHttp(deps(), "mutation", "tenant.switch", { cookie: me.cookie, headers: SAME_ORIGIN, input: { tenantId: second.tenantId } });
    expect(overHttp.headers.get("set-cookie")).not.toMatch(/Secure/i);
  });
});

describe("internal errors never reach the client", () => {
  it("answers a database error with a generic message and a request id, and logs the full error under that id", async () => {
    const scratch = await createTestDb();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // Every new user now fails in the database, the way a real constraint or outage would.
      await scratch.db.execute(sql`alter table users add constraint refuse_all check (email = '')`);
      const answer = await trpcHttp({ db: scratch.db, kv, mailer }, "mutation", "auth.signup", {
        headers: SAME_ORIGIN,
        input: { companyName: "Leaky Ltd", email: `leak-${randomUUID().slice(0, 8)}@example.com`, password: "correct-horse-42", confirmPassword: "correct-horse-42" },
      });
      expect(answer.status).toBe(500);
      expect(answer.error?.message).toMatch(/^Something went wrong on our side\. Please retry\. If it keeps happening, quote request [0-9a-f-]{36}\.$/);
      expect(answer.raw).not.toMatch(/insert|users|refuse_all|params:|\$2[aby]\$|constraint|\.ts:\d+/i);
      const requestId = (answer.error?.data.details as { request_id: string }).request_id;
      expect(answer.error?.message).toContain(requestId);
      const entry = logged.mock.calls.find((args) => String(args[0]).includes(requestId));
      expect(String(entry?.[1])).toMatch(/insert into "users"/);
    } finally {
      logged.mockRestore();
      await scratch.dispose();
    }
  });
});
