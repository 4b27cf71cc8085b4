import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { hashPassword } from "@/server/auth/passwords";
import { installKv } from "@/server/cache";
import { installDbHandle } from "@/server/db";
import { errorEnvelopeSchema } from "@/server/http/envelope";
import { createApiKey } from "@/server/tenants/api-keys";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { logIn } from "../../helpers/auth-session";
import { createCaptureMailer } from "../../helpers/capture-mailer";
import { createTestDb } from "../../helpers/test-db";
import { createTestKv } from "../../helpers/test-kv";
import { SAME_ORIGIN, trpcHttp } from "../../helpers/trpc-http";
import { ZOD_DEFAULT } from "./support/schema-walk";

// What a person sees on the wire: the dashboard's tRPC answers and the REST envelope (the CLI's: tests/integration/cli.test.ts).
const PASSWORD = "correct-horse-42";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const deps = () => ({ db: handle.db, kv, mailer });
let cookie: string;
let apiKey: string;

beforeAll(async () => {
  handle = await createTestDb();
  installDbHandle(handle);
  installKv(kv);
  const email = `plain-${randomUUID().slice(0, 8)}@example.com`;
  const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Plain Words", email, passwordHash: await hashPassword(PASSWORD), verified: true });
  ({ cookie } = await logIn({ db: handle.db, kv }, email, PASSWORD));
  apiKey = (await createApiKey(handle.db, tenant.id, null)).key;
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("the dashboard's tRPC answers", () => {
  it("a flow name over 80 characters says so as the message and beside the field, with no zod text anywhere", async () => {
    const answer = await trpcHttp(deps(), "mutation", "flows.create", { input: { name: "x".repeat(81), definition: {} }, cookie, headers: SAME_ORIGIN });
    expect(answer.status).toBe(400);
    expect(answer.error?.message).toBe("Flow name is at most 80 characters");
    expect(answer.error?.data).toMatchObject({ appCode: "VALIDATION_ERROR", fieldErrors: { name: ["Flow name is at most 80 characters"] } });
    expect(answer.raw).not.toMatch(ZOD_DEFAULT);
  });

  it("an empty sign-up names every field it needs", async () => {
    const answer = await trpcHttp(deps(), "mutation", "auth.signup", { input: {}, headers: SAME_ORIGIN });
    expect(answer.error?.message).toBe("Company name is required");
    expect(answer.error?.data.fieldErrors).toEqual({
      companyName: ["Company name is required"],
      email: ["Email is required"],
      password: ["Password is required"],
      confirmPassword: ["Password confirmation is required"],
    });
    expect(answer.raw).not.toMatch(ZOD_DEFAULT);
  });
});

describe("the REST API's error envelope", () => {
  const send = async (body: unknown) => {
    const res = await postMessage(new Request("http://localhost:3000/api/v2/chat/message", { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) }));
    return { status: res.status, body: errorEnvelopeSchema.parse(await res.json()) };
  };

  it("a message on an unknown channel names the channel and the choices", async () => {
    const { status, body } = await send({ user_id: "u-1", channel: "fax", content: { type: "text", text: "hi" } });
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: "VALIDATION_ERROR", message: "Channel must be one of: web, whatsapp, slack, messenger", details: { fields: { channel: "Channel must be one of: web, whatsapp, slack, messenger" } } });
  });

  it("an empty message lists what is missing", async () => {
    const { body } = await send({});
    expect(body.error.details).toEqual({ fields: { user_id: "User ID is required", channel: "Channel is required", content: "Content is required" } });
  });
});
