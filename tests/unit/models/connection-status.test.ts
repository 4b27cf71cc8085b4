import { describe, expect, it } from "vitest";
import { connectionStatus } from "@/components/models/connection-status";

const now = new Date("2026-03-01T10:00:00Z");
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

describe("a saved model's connection status", () => {
  it("reads Connected only after a test that got an answer, with how long ago", () => {
    expect(connectionStatus({ lastTestedAt: ago(3), lastTestOk: true, lastTestError: null }, now)).toEqual({ tone: "ok", text: "Connected (tested 3 minutes ago)" });
  });

  it("reads Not tested for a model saved or edited without a test", () => {
    expect(connectionStatus({ lastTestedAt: null, lastTestOk: null, lastTestError: null }, now)).toEqual({ tone: "untested", text: "Not tested" });
  });

  it("reads Failed with the reason after a test without an answer", () => {
    expect(connectionStatus({ lastTestedAt: ago(1), lastTestOk: false, lastTestError: "The server refused the API key (401)" }, now)).toEqual({ tone: "failed", text: "Failed: The server refused the API key (401)" });
  });
});
