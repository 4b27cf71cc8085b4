import { describe, expect, it } from "vitest";
import type { ConnectionTarget } from "@/server/models/connection-test";
import { issueTestReceipt, redeemTestReceipt } from "@/server/models/test-receipt";

const tenant = "7d0c3c8e-2f4b-4a55-9d6e-1f2a3b4c5d6e";
const target: ConnectionTarget = { provider: "openai", model: "gpt-4o-mini", baseUrl: null, apiKey: "sk-tested-key-1234" };
const testedAt = new Date("2026-03-01T10:00:00Z");
const passed = { ok: true, message: "Connected: gpt-4o-mini answered in 412 ms", testedAt };
const minutes = (n: number) => testedAt.getTime() + n * 60_000;

describe("a test receipt keeps a result only for the values tested", () => {
  it("gives back the result for exactly those values in that workspace within 30 minutes", () => {
    const receipt = issueTestReceipt(tenant, target, passed);
    expect(redeemTestReceipt(receipt, tenant, target, minutes(29))).toEqual(passed);
    expect(receipt).not.toContain("sk-tested");
  });

  it("holds nothing for another key, model, base URL or workspace, or once stale", () => {
    const receipt = issueTestReceipt(tenant, target, passed);
    for (const other of [{ ...target, apiKey: "sk-other-key" }, { ...target, model: "gpt-4o" }, { ...target, baseUrl: "https://llm.example.com/v1" }]) {
      expect(redeemTestReceipt(receipt, tenant, other, minutes(1))).toBeNull();
    }
    expect(redeemTestReceipt(receipt, "0b7f1d2e-0000-4000-8000-000000000000", target, minutes(1))).toBeNull();
    expect(redeemTestReceipt(receipt, tenant, target, minutes(31))).toBeNull();
  });

  it("refuses a failed result edited to read as passed, and anything unsigned", () => {
    const receipt = issueTestReceipt(tenant, target, { ok: false, message: "The server refused the API key (401)", testedAt });
    const [payload, signature] = receipt.split(".");
    const forged = Buffer.from(Buffer.from(payload!, "base64url").toString("utf8").replace('"ok":false', '"ok":true')).toString("base64url");
    expect(redeemTestReceipt(`${forged}.${signature}`, tenant, target, minutes(1))).toBeNull();
    expect(redeemTestReceipt(forged, tenant, target, minutes(1))).toBeNull();
    expect(redeemTestReceipt(undefined, tenant, target, minutes(1))).toBeNull();
    expect(redeemTestReceipt(receipt, tenant, target, minutes(1))).toMatchObject({ ok: false });
  });
});
