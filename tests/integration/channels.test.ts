import { TRPCError } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { auditLog, channels, memberships, messages, outboxMessages, users } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { savedNotice } from "@/server/channels/channel-status";
import { installDbHandle } from "@/server/db";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { getWidgetConfig } from "../security/support/widget-site";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
// One hash for every account of the file: bcrypt is slow on purpose.
let passwordHash: Promise<string>;

async function ownerOf(company: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, {
    companyName: company,
    email: `${company.toLowerCase()}@channels.test`,
    passwordHash: await passwordHash,
    verified: true,
  });
  return { tenantId: tenant.id, userId: user.id, caller: callerFor({ db: handle.db, kv, mailer }, user.id, tenant.id) };
}

async function memberOf(tenantId: string, company: string) {
  const [user] = await handle.db.insert(users).values({ email: `member-${company.toLowerCase()}@channels.test`, passwordHash: await passwordHash, emailVerifiedAt: new Date() }).returning();
  await handle.db.insert(memberships).values({ tenantId, userId: user!.id, role: "member" });
  return callerFor({ db: handle.db, kv, mailer }, user!.id, tenantId);
}

/** The tRPC code and the words a refusal carries. */
const refusalOf = (e: unknown) => ({ code: (e as TRPCError).code, message: (e as TRPCError).message });

/** What the platform's verification handshake will record once the webhooks of issue 9 exist. */
async function platformVerifiesWebhook(tenantId: string) {
  await handle.db.update(channels).set({ webhookVerifiedAt: new Date() }).where(and(eq(channels.tenantId, tenantId), eq(channels.type, "whatsapp")));
}

beforeAll(async () => {
  passwordHash = hashPassword("irrelevant-pass-1");
  handle = await createTestDb();
  // The widget's config route reads the app's database and cache, as in production.
  installDbHandle(handle);
  installKv(kv);
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("messaging channels", () => {
  it("are not connected on saved credentials alone, and new credentials need a new webhook verification", async () => {
    const { tenantId, caller } = await ownerOf("Harbour");
    const whatsapp = (settings: Record<string, string>, secrets: Record<string, string>, enabled = true) => caller.channels.update({ type: "whatsapp", enabled, settings, secrets });
    const status = async () => (await caller.channels.get({ type: "whatsapp" }))!.status.label;
    const channelItemDone = async () => (await caller.tenant.checklist()).find((i) => i.key === "channel")!.done;

    const saved = await whatsapp({ phone_number_id: "1555000" }, { access_token: "EAAG-first", app_secret: "app-secret-1", verify_token: "verify-1" });
    expect(saved.status).toEqual({ state: "unverified", label: "Not connected: webhook not verified" });
    expect(savedNotice("WhatsApp", saved.status)).toBe("Credentials saved. WhatsApp is not connected yet: give the platform the webhook URL shown below; it connects once the platform verifies the webhook.");
    expect(await channelItemDone()).toBe(false);

    await platformVerifiesWebhook(tenantId);
    expect(await status()).toBe("Connected: webhook verified");
    expect(await channelItemDone()).toBe(true);

    // Saving the form unchanged (secrets left empty keep theirs) or pausing replies keeps the verification.
    await whatsapp({ phone_number_id: "1555000" }, { access_token: "", app_secret: "", verify_token: "" });
    expect(await status()).toBe("Connected: webhook verified");
    expect(savedNotice("WhatsApp", (await whatsapp({}, {}, false)).status)).toBe("Saved. WhatsApp is turned off.");
    expect(await status()).toBe("Off: webhook verified, replies turned off");
    await whatsapp({}, {}, true);
    expect(await status()).toBe("Connected: webhook verified");

    await whatsapp({}, { access_token: "EAAG-second" });
    expect(await status()).toBe("Not connected: webhook not verified");
    expect((await caller.channels.get({ type: "whatsapp" }))!.webhookVerifiedAt).toBeNull();
    expect(await channelItemDone()).toBe(false);

    await platformVerifiesWebhook(tenantId);
    await whatsapp({ phone_number_id: "1555999" }, {});
    expect(await status()).toBe("Not connected: webhook not verified");
  });
});

describe("the web widget's settings", () => {
  it("serve the chosen position and a short hex colour to the embed script, and refuse a colour that is not hex in words", async () => {
    const { caller } = await ownerOf("Lighthouse");
    const web = await caller.channels.update({ type: "web", enabled: true, settings: { position: "left", brand_color: "#0a0" } });
    expect(web.status.label).toBe("On: the widget answers on your site");
    const config = await (await getWidgetConfig(web.publicKey)).json();
    expect(config.data).toMatchObject({ position: "left", brand_color: "#0a0" });

    for (const brand_color of ["#12", "red", "#12345g"]) {
      const refusal = await caller.channels.update({ type: "web", settings: { brand_color } }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(TRPCError);
      expect(((refusal as TRPCError).cause as unknown as { details: { fields: Record<string, string> } }).details.fields).toEqual({
        "settings.brand_color": "Brand colour must be a hex colour like #4f46e5 or #fff",
      });
    }
    const refusedPosition = await caller.channels.update({ type: "web", settings: { position: "top" } }).catch((e: unknown) => e);
    expect(Object.keys(((refusedPosition as TRPCError).cause as unknown as { details: { fields: object } }).details.fields)).toEqual(["settings.position"]);
    expect((await (await getWidgetConfig(web.publicKey)).json()).data).toMatchObject({ position: "left", brand_color: "#0a0" });
  });
});

describe("the web widget's look and identity settings", () => {
  it("are saved as the dashboard's form sends them, and a field left empty removes what was stored", async () => {
    const { caller } = await ownerOf("Buoy");
    const look = { text_color: "#111", avatar_url: "https://buoy.example.com/bot.png", launcher_text: "Ask us", require_verified_identity: true };
    expect((await caller.channels.update({ type: "web", enabled: true, settings: look })).settings).toMatchObject(look);
    const cleared = await caller.channels.update({ type: "web", settings: { avatar_url: undefined, launcher_text: undefined, require_verified_identity: false } });
    expect(cleared.settings).toMatchObject({ text_color: "#111", require_verified_identity: false });
    expect(Object.keys(cleared.settings)).not.toContain("avatar_url");
    expect(Object.keys((await caller.channels.get({ type: "web" }))!.settings)).not.toContain("launcher_text");
    const refusal = (await caller.channels.update({ type: "web", settings: { avatar_url: "javascript:alert(1)" } }).catch((e: unknown) => e)) as TRPCError;
    expect((refusal.cause as unknown as { details: { fields: Record<string, string> } }).details.fields).toEqual({ "settings.avatar_url": "Avatar URL must be a web address starting with http:// or https://" });
  });
});

describe("secrets an admin pastes elsewhere", () => {
  it("the widget's identity secret is shown to admins on request, audit-logged, and rotated into a new one; members get neither", async () => {
    const { tenantId, userId, caller } = await ownerOf("Beacon");
    const member = await memberOf(tenantId, "Beacon");
    expect(refusalOf(await caller.channels.identitySecret().catch((e: unknown) => e))).toEqual({ code: "NOT_FOUND", message: "Turn the web widget on first: its identity secret is made with it." });

    const web = await caller.channels.update({ type: "web", enabled: true });
    const { identity_secret: first } = await caller.channels.identitySecret();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(web.secretHints.identity_secret).toBe(`${first.slice(0, 3)}…${first.slice(-4)}`);
    const [revealed] = await handle.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "channel.secret_revealed")));
    expect(revealed).toMatchObject({ actorUserId: userId, targetId: "web", details: { secret: "identity_secret" } });

    // Called one at a time: a second refusal made before the first is awaited would go unhandled meanwhile.
    for (const attempt of [() => member.channels.identitySecret(), () => member.channels.rotateIdentitySecret()]) {
      expect(refusalOf(await attempt().catch((e: unknown) => e))).toEqual({ code: "FORBIDDEN", message: "Only owners and admins can do this." });
    }
    expect((await caller.channels.identitySecret()).identity_secret).toBe(first);

    // Saving the widget keeps the secret; rotating makes a new one, and the widget's settings stay as they were.
    await caller.channels.update({ type: "web", settings: { title: "Beacon help" } });
    expect((await caller.channels.identitySecret()).identity_secret).toBe(first);
    await caller.channels.rotateIdentitySecret();
    const { identity_secret: second } = await caller.channels.identitySecret();
    expect(second).not.toBe(first);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await caller.channels.get({ type: "web" }))!.settings).toMatchObject({ title: "Beacon help" });
    const [rotated] = await handle.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, "channel.identity_secret_rotated")));
    expect(rotated?.actorUserId).toBe(userId);
  });

  it("the verify token of a Meta channel is revealed to admins as stored, and is refused in words before one is saved", async () => {
    const { tenantId, caller } = await ownerOf("Jetty");
    const member = await memberOf(tenantId, "Jetty");
    expect(refusalOf(await caller.channels.verifyToken({ type: "whatsapp" }).catch((e: unknown) => e))).toEqual({ code: "NOT_FOUND", message: "No verify token is saved for this channel yet." });
    await caller.channels.update({ type: "whatsapp", settings: { phone_number_id: "1555000" }, secrets: { access_token: "EAAG-jetty", app_secret: "jetty-app-secret", verify_token: "jetty-verify-token-7" } });
    expect(await caller.channels.verifyToken({ type: "whatsapp" })).toEqual({ verify_token: "jetty-verify-token-7" });
    expect(refusalOf(await member.channels.verifyToken({ type: "whatsapp" }).catch((e: unknown) => e)).code).toBe("FORBIDDEN");
    // The channel view itself never carries it, only its hint.
    expect(JSON.stringify(await member.channels.get({ type: "whatsapp" }))).not.toContain("jetty-verify-token-7");
  });
});

describe("undelivered replies", () => {
  /** A WhatsApp conversation whose bot reply the platform never took: its outbox row used up its retries. */
  async function deadReply(tenantId: string, reason: string) {
    const [channel] = await handle.db.select().from(channels).where(and(eq(channels.tenantId, tenantId), eq(channels.type, "whatsapp")));
    const turn = await processMessage(pipelineDepsFor(handle.db), tenantId, { user_id: `wa:+1555${Math.floor(Math.random() * 1e6)}`, channel: "whatsapp", content: { type: "text", text: "hello" } });
    const [reply] = await handle.db.select().from(messages).where(and(eq(messages.conversationId, turn.conversation_id), eq(messages.direction, "outbound"))).orderBy(desc(messages.sequence)).limit(1);
    const [row] = await handle.db
      .insert(outboxMessages)
      .values({ tenantId, channelId: channel!.id, conversationId: turn.conversation_id, messageId: reply!.id, sequence: reply!.sequence, address: { channel_id: channel!.id, recipient: "+1555" }, payload: reply!.content as Record<string, unknown>, state: "dead", attempts: 8, lastError: reason, lastErrorCode: "http_503" })
      .returning();
    return { id: row!.id, conversationId: turn.conversation_id, text: reply!.text! };
  }

  it("are listed with their reason for every member, and only admins queue them again, one or all", async () => {
    const { tenantId, caller } = await ownerOf("Wharf");
    const member = await memberOf(tenantId, "Wharf");
    expect(await caller.outbox.deadLetters()).toEqual([]);
    await caller.channels.update({ type: "whatsapp", settings: { phone_number_id: "1555000" }, secrets: { access_token: "EAAG-wharf", app_secret: "wharf-app-secret", verify_token: "wharf-verify" } });
    const first = await deadReply(tenantId, "WhatsApp answered 503 eight times");
    const second = await deadReply(tenantId, "WhatsApp answered 503 eight times");

    const listed = await member.outbox.deadLetters();
    expect(listed.map((l) => l.id).sort()).toEqual([first.id, second.id].sort());
    expect(listed.find((l) => l.id === first.id)).toMatchObject({ conversationId: first.conversationId, channelType: "whatsapp", state: "dead", reason: "WhatsApp answered 503 eight times", attempts: 8, preview: first.text });
    expect(refusalOf(await member.outbox.retry({}).catch((e: unknown) => e))).toEqual({ code: "FORBIDDEN", message: "Only owners and admins can do this." });
    const badId = (await caller.outbox.retry({ ids: ["not-an-id"] }).catch((e: unknown) => e)) as TRPCError;
    expect([badId.code, (badId.cause as unknown as ZodError).issues[0]!.message]).toEqual(["BAD_REQUEST", "Message ID must be a valid UUID"]);

    expect(await caller.outbox.retry({ ids: [first.id] })).toEqual({ retried: 1 });
    expect((await caller.outbox.deadLetters()).map((l) => l.id)).toEqual([second.id]);
    expect(await caller.outbox.retry({})).toEqual({ retried: 1 });
    expect(await caller.outbox.deadLetters()).toEqual([]);
    const states = await handle.db.select({ state: outboxMessages.state, attempts: outboxMessages.attempts }).from(outboxMessages).where(eq(outboxMessages.tenantId, tenantId));
    expect(states).toEqual([{ state: "queued", attempts: 0 }, { state: "queued", attempts: 0 }]);
    expect(await caller.outbox.retry({})).toEqual({ retried: 0 });
  });
});
