import { timeAgo } from "@/lib/time-ago";
import type { ProviderConfigSummary } from "@/server/models/provider-configs";

export type ConnectionStatus = { tone: "ok" | "failed" | "untested"; text: string };

/** A saved model's last test in words: only a test that got an answer reads "Connected". */
export function connectionStatus(model: Pick<ProviderConfigSummary, "lastTestedAt" | "lastTestOk" | "lastTestError">, now: Date): ConnectionStatus {
  if (!model.lastTestedAt || model.lastTestOk === null) return { tone: "untested", text: "Not tested" };
  if (model.lastTestOk) return { tone: "ok", text: `Connected (tested ${timeAgo(model.lastTestedAt, now)})` };
  return { tone: "failed", text: `Failed: ${model.lastTestError ?? "no answer"}` };
}

export const STATUS_COLORS: Record<ConnectionStatus["tone"], string> = { ok: "var(--ok)", failed: "var(--err)", untested: "var(--muted)" };
