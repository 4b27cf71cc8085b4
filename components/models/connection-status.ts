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

/** Why the router stopped using a key the provider refused in a real call, and since when. */
export function keyInvalidText(model: Pick<ProviderConfigSummary, "keyInvalidAt" | "keyInvalidReason">, now: Date): string {
  const since = model.keyInvalidAt ? ` ${timeAgo(model.keyInvalidAt, now)}` : "";
  return `The provider refused this key${since}${model.keyInvalidReason ? `: ${model.keyInvalidReason}` : ""}. Bots skip it until you enter a new key (Edit).`;
}
