import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, memberships, messages } from "@/db/schema";
import { installKv } from "@/server/cache";
import { getChannelSecrets } from "@/server/channels/channel-service";
import { rotateIdentitySecret } from "@/server/channels/channel-secrets";
import { widgetHistorySchema } from "@/server/channels/visitor-history";
import { userHashOf, visitorSessionResultSchema } from "@/server/channels/visitor-session";
import { VISITOR_TOKEN_TTL_MS } from "@/server/channels/visitor-token";
import { widgetReplySchema } from "@/server/channels/web-widget";
import { installDbHandle } from "@/server/db";
import { errorEnvelopeSchema, successEnvelopeSchema } from "@/server/http/envelope";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { getHistory, openWidgetSite, postUpload, postWidget, startSession, visitorToken } from "./support/widget-site";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
let shop: Awaited<ReturnType<typeof openWidgetSite>>;
let members: Awaited<ReturnType<typeof openWidgetSite>>;

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  shop = await openWidgetSite(handle.db, "identity-shop");
  members = await openWidgetSite(handle.db, "members-only", { require_verified_identity: true });
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

const session = async (res: Response) => {
  expect(res.status).toBe(200);
  return successEnvelopeSchema(visitorSessionResultSchema).parse(await res.json()).data;
};
const replyOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return successEnvelopeSchema(widgetReplySchema).parse(await res.json()).data;
};
const errorOf = async (res: Response, status: number) => {
  expect(res.status).toBe(status);
  return errorEnvelopeSchema.parse(await res.json()).error;
};
const conversationsOf = (tenantId: string) => handle.db.select({ id: conversations.id, endUserId: conversations.endUserId }).from(conversations).where(eq(conversations.tenantId, tenantId));

describe("visitor tokens", () => {
  it("issues an anonymous visitor a 30-day token and, renewed with it, the same visitor's open conversation", async () => {
    const before = Date.now();
    const first = await session(await startSession(shop.key));
    expect(first).toMatchObject({ verified: false, conversation_id: null });
    expect(Date.parse(first.expires_at) - before).toBeGreaterThanOrEqual(VISITOR_TOKEN_TTL_MS - 1000);
    const chat = await replyOf(await postWidget(shop.key, { text: "hi" }, { token: first.visitor_token }));
    const [row] = (await conversationsOf(shop.tenantId)).filter((c) => c.id === chat.conversation_id);
    expect(row!.endUserId).toMatch(/^web:[A-Za-z0-9_-]{22}$/);
    expect((await session(await startSession(shop.key, { visitor_token: first.visitor_token }))).conversation_id).toBe(chat.conversation_id);

    // A token issued ten days ago is renewed for 30 days from now, for the same visitor.
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 60 * 60 * 1000);
    const old = await visitorToken(shop.key, { visitorId: "visitor-renew-01", now: tenDaysAgo });
    const kept = await replyOf(await postWidget(shop.key, { text: "hi" }, { token: old }));
    const renewed = await session(await startSession(shop.key, { visitor_token: old }));
    expect(renewed.conversation_id).toBe(kept.conversation_id);
    expect(Date.parse(renewed.expires_at) - (tenDaysAgo.getTime() + VISITOR_TOKEN_TTL_MS)).toBeGreaterThan(10 * 24 * 60 * 60 * 1000 - 5000);
    expect((await replyOf(await postWidget(shop.key, { text: "again", conversation_id: kept.conversation_id }, { token: renewed.visitor_token }))).conversation_id).toBe(kept.conversation_id);
    // A stale or foreign token at the session call is no error: the visitor simply starts afresh.
    const afresh = await session(await startSession(shop.key, { visitor_token: `${first.visitor_token}x` }));
    expect(afresh).toMatchObject({ verified: false, conversation_id: null });
  });

  it("refuses with 401 a missing, tampered, expired or other widget's token on every widget call, storing nothing", async () => {
    const mine = await visitorToken(shop.key, { visitorId: "visitor-tokens-01" });
    const [payload, signature] = mine.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const otherVisitor = Buffer.from(JSON.stringify({ ...claims, vid: "visitor-tokens-02" })).toString("base64url");
    const bad = {
      missing: null,
      tampered: `${otherVisitor}.${signature}`,
      "signature cut": `${payload}.${signature!.slice(0, -2)}`,
      // Decodes to the same bytes, but is not the token that was issued.
      "signature padded": `${payload}.${signature}=`,
      expired: await visitorToken(shop.key, { visitorId: "visitor-tokens-01", now: new Date(Date.now() - VISITOR_TOKEN_TTL_MS - 1000) }),
      "another widget's": await visitorToken(members.key, { visitorId: "visitor-tokens-01", userId: "member-1" }),
    };
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const [name, token] of Object.entries(bad)) {
      for (const res of [await postWidget(shop.key, { text: "hi" }, { token }), await getHistory(shop.key, {}, { token }), await postUpload(shop.key, { bytes: png, type: "image/png", name: "a.png" }, { token })]) {
        const error = await errorOf(res, 401);
        expect(error.code, name).toBe("UNAUTHORIZED");
        expect(error.message, name).toBe(token === null ? "Send the visitor token from POST /session as `Authorization: Bearer <token>`." : "The visitor token is invalid or has expired. Start a new session.");
      }
    }
    expect((await conversationsOf(shop.tenantId)).filter((c) => c.endUserId.includes("visitor-tokens"))).toEqual([]);
  });
});

describe("verified identity (user_hash)", () => {
  it("refuses a wrong user_hash with 401, and a user_id without one with 400", async () => {
    const wrong = await errorOf(await startSession(shop.key, { user_id: "user-42", user_hash: userHashOf("user-43", shop.identitySecret) }), 401);
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: "The user_hash does not match user_id." });
    const otherSecret = await errorOf(await startSession(shop.key, { user_id: "user-42", user_hash: userHashOf("user-42", members.identitySecret) }), 401);
    expect(otherSecret.message).toBe("The user_hash does not match user_id.");
    const missing = await errorOf(await startSession(shop.key, { user_id: "user-42" }), 400);
    expect(missing.details).toEqual({ fields: { user_hash: "User hash is required with a user ID." } });
  });

  it("ends every verified visitor's token when the identity secret is rotated, renewals included, and leaves anonymous visitors chatting", async () => {
    const site = await openWidgetSite(handle.db, "rotating-shop");
    const [owner] = await handle.db.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.tenantId, site.tenantId));
    const signedIn = await session(await startSession(site.key, { user_id: "user-500", user_hash: userHashOf("user-500", site.identitySecret) }));
    const chat = await replyOf(await postWidget(site.key, { text: "hi" }, { token: signedIn.visitor_token }));
    const anonymous = await session(await startSession(site.key));
    await replyOf(await postWidget(site.key, { text: "hi" }, { token: anonymous.visitor_token }));

    // The old secret leaked: whoever made a user_hash with it must not stay signed in as that user.
    await rotateIdentitySecret(handle.db, site.tenantId, owner!.userId);
    const { identity_secret: fresh } = await getChannelSecrets(handle.db, site.tenantId, "web");
    expect(await errorOf(await postWidget(site.key, { text: "PELICAN3", conversation_id: chat.conversation_id }, { token: signedIn.visitor_token }), 401)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await errorOf(await getHistory(site.key, { conversation_id: chat.conversation_id }, { token: signedIn.visitor_token }), 401)).toMatchObject({ code: "UNAUTHORIZED" });
    // Renewing with the old token gives a new anonymous visitor, not the user; the old secret's hash is refused.
    expect(await session(await startSession(site.key, { visitor_token: signedIn.visitor_token }))).toMatchObject({ verified: false, conversation_id: null });
    expect((await errorOf(await startSession(site.key, { user_id: "user-500", user_hash: userHashOf("user-500", site.identitySecret) }), 401)).message).toBe("The user_hash does not match user_id.");
    // The site's server signs the user in again with the new secret: their conversation is theirs again.
    const again = await session(await startSession(site.key, { user_id: "user-500", user_hash: userHashOf("user-500", fresh!) }));
    expect(again).toMatchObject({ verified: true, conversation_id: chat.conversation_id });
    await replyOf(await postWidget(site.key, { text: "PELICAN3", conversation_id: chat.conversation_id }, { token: again.visitor_token }));
    // An anonymous visitor proved nothing with the secret, so their token goes on working.
    await replyOf(await postWidget(site.key, { text: "still here" }, { token: anonymous.visitor_token }));
  });

  it("keeps an anonymous visitor's conversation with the anonymous visitor once they sign in", async () => {
    const anonymous = await session(await startSession(shop.key));
    await replyOf(await postWidget(shop.key, { text: "hi" }, { token: anonymous.visitor_token }));
    const signedIn = await session(await startSession(shop.key, { visitor_token: anonymous.visitor_token, user_id: "user-77", user_hash: userHashOf("user-77", shop.identitySecret) }));
    expect(signedIn).toMatchObject({ verified: true, conversation_id: null });
  });

  it("lets only verified users chat on a widget that requires it, and their history follows them to a new device", async () => {
    const refused = await errorOf(await startSession(members.key), 403);
    expect(refused).toEqual({ code: "FORBIDDEN", message: "Please sign in to chat.", details: { reason: "identity_required" } });
    // Even with a token minted before the widget required identity, an anonymous visitor cannot start a chat.
    const anonymousToken = await visitorToken(members.key, { visitorId: "visitor-anon-01" });
    expect(await errorOf(await postWidget(members.key, { text: "hi" }, { token: anonymousToken }), 403)).toMatchObject({ message: "Please sign in to chat.", details: { reason: "identity_required" } });
    expect(await conversationsOf(members.tenantId)).toEqual([]);

    const identity = { user_id: "member-1001", user_hash: userHashOf("member-1001", members.identitySecret), name: "Dana Reyes", email: "dana@example.com" };
    const laptop = await session(await startSession(members.key, identity));
    expect(laptop).toMatchObject({ verified: true, conversation_id: null });
    const chat = await replyOf(await postWidget(members.key, { text: "hi" }, { token: laptop.visitor_token }));
    await replyOf(await postWidget(members.key, { text: "PELICAN3", conversation_id: chat.conversation_id }, { token: laptop.visitor_token }));

    const phone = await session(await startSession(members.key, { user_id: identity.user_id, user_hash: identity.user_hash }));
    expect(phone).toMatchObject({ verified: true, conversation_id: chat.conversation_id });
    const history = successEnvelopeSchema(widgetHistorySchema).parse(await (await getHistory(members.key, {}, { token: phone.visitor_token })).json()).data;
    expect(history.messages.map((m) => (m.content.type === "text" ? m.content.text : m.content.type))).toEqual(["hi", "What's your code word?", "PELICAN3", "Your code word is PELICAN3."]);
    expect((await conversationsOf(members.tenantId)).map((c) => c.endUserId)).toEqual(["web:user:member-1001"]);
    // The name and email the site gave are kept with the messages, for the inbox to show who it is.
    const stored = await handle.db.select({ metadata: messages.metadata }).from(messages).where(and(eq(messages.conversationId, chat.conversation_id), eq(messages.direction, "inbound")));
    expect(stored.map((m) => m.metadata.channel_metadata)).toEqual([
      { origin: "https://shop.example.com", user_name: "Dana Reyes", email: "dana@example.com" },
      { origin: "https://shop.example.com", user_name: "Dana Reyes", email: "dana@example.com" },
    ]);
  });
});
