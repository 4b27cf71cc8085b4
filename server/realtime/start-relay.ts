import { getDb } from "../db";
import { relayAcrossProcesses } from "./conversation-bus";

/** With Postgres, live readers in every app process wake on a change made in any of them; PGlite is one process. */
export async function startConversationRelay(): Promise<void> {
  const client = (getDb() as { $client?: unknown }).$client as Parameters<typeof relayAcrossProcesses>[0] | undefined;
  if (!client || typeof client.listen !== "function" || typeof client.notify !== "function") return;
  try {
    await relayAcrossProcesses(client);
  } catch (error) {
    // Readers still poll the database every second, so a missing relay only slows other processes' wake-ups.
    console.warn(`[realtime] cross-process relay not started: ${error instanceof Error ? error.message : String(error)}`);
  }
}
