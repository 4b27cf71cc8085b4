import { createHash, createHmac } from "node:crypto";
import { z } from "zod";
import { env } from "../env";
import { safeEqual } from "../security/crypto";
import type { ConnectionTarget, ConnectionTestResult } from "./connection-test";

const RECEIPT_TTL_MS = 30 * 60_000;
const CLOCK_SKEW_MS = 60_000;
const receiptPayloadSchema = z.object({ fp: z.string(), ok: z.boolean(), message: z.string(), at: z.number() });

const receiptKey = () => createHash("sha256").update("model-test-receipt\0").update(env().ENCRYPTION_KEY).digest();
const mac = (value: string) => createHmac("sha256", receiptKey()).update(value).digest("base64url");
// Keyed, so the receipt the browser holds says nothing about the API key it was made with.
const fingerprint = (tenantId: string, t: ConnectionTarget) => mac(JSON.stringify([tenantId, t.provider, t.model, t.baseUrl, t.apiKey]));

/**
 * A signed note of a test of unsaved form values: saving exactly those values (same workspace,
 * provider, model, base URL and key) within 30 minutes stores the result with the new row.
 */
export function issueTestReceipt(tenantId: string, target: ConnectionTarget, result: ConnectionTestResult): string {
  const payload = Buffer.from(JSON.stringify({ fp: fingerprint(tenantId, target), ok: result.ok, message: result.message, at: result.testedAt.getTime() })).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

/** The result a receipt holds when it was issued for exactly these values and is fresh; null otherwise. */
export function redeemTestReceipt(receipt: string | undefined, tenantId: string, target: ConnectionTarget, now = Date.now()): ConnectionTestResult | null {
  const [payload, signature] = receipt?.split(".") ?? [];
  if (!payload || !signature || !safeEqual(signature, mac(payload))) return null;
  // The signature matched, so the payload is JSON we wrote; parsing it checks the shape it was written in.
  const parsed = receiptPayloadSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  if (!parsed.success) return null;
  const { fp, ok, message, at } = parsed.data;
  if (!safeEqual(fp, fingerprint(tenantId, target)) || at > now + CLOCK_SKEW_MS || now - at > RECEIPT_TTL_MS) return null;
  return { ok, message, testedAt: new Date(at) };
}
