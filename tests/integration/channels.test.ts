import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channels } from "@/db/schema";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { savedNotice } from "@/server/channels/channel-status";
import { installDbHandle } from "@/server/db";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { getWidgetConfig } from "../security/support/widget-site";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();

async function ownerOf(company: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, {
    companyName: company,
    email: `${company.toLowerCase()}@channels.test`,
    passwordHash: await hashPassword("irrelevant-pass-1"),
    verified: true,
  });
  return { tenantId: tenant.id, caller: callerFor({ db: handle.db, kv, mailer }, user.id, tenant.id) };
}

/** What the platform's verification handshake will record once the webhooks of issue 9 exist. */
async function platformVerifiesWebhook(tenantId: string) {
  await handle.db.update(channels).set({ webhookVerifiedAt: new Date() }).where(and(eq(channels.tenantId, tenantId), eq(channels.type, "whatsapp")));
}

beforeAll(async () => {
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
    expect(savedNotice("WhatsApp", saved.status)).toBe("Credentials saved. WhatsApp is not connected yet: receiving messages needs the webhook, which this version does not provide yet.");
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
