import { describe, expect, it } from "vitest";
import { publishConversationChange, relayAcrossProcesses, RELAY_CHANNEL, relayPayload, waitForChange } from "@/server/realtime/conversation-bus";

/** Two app processes sharing one Postgres, as far as LISTEN/NOTIFY goes: what one notifies, every listener hears. */
function fakePostgres() {
  const listeners: ((payload: string) => void)[] = [];
  const sent: { channel: string; payload: string }[] = [];
  return {
    sent,
    /** What another process's publish would deliver to this one. */
    fromOtherProcess: (payload: string) => listeners.forEach((fn) => fn(payload)),
    client: {
      listen: async (channel: string, fn: (payload: string) => void) => {
        expect(channel).toBe(RELAY_CHANNEL);
        listeners.push(fn);
      },
      notify: async (channel: string, payload: string) => {
        sent.push({ channel, payload });
      },
    },
  };
}

describe("the conversation change bus", () => {
  it("wakes a reader of the changed conversation at once, and not a reader of another tenant", async () => {
    const started = Date.now();
    const own = waitForChange("tenant-a", { conversationId: "c1", timeoutMs: 5000 });
    let foreignWoke = false;
    const foreign = waitForChange("tenant-b", { timeoutMs: 300 }).then(() => (foreignWoke = Date.now() - started < 250));
    publishConversationChange("tenant-a", "c1");
    await own;
    expect(Date.now() - started).toBeLessThan(1000);
    await foreign;
    expect(foreignWoke).toBe(false);
  });

  it("passes changes to and from other processes once the relay is installed", async () => {
    const pg = fakePostgres();
    await relayAcrossProcesses(pg.client);
    publishConversationChange("tenant-a", "c2");
    await new Promise((r) => setImmediate(r));
    expect(pg.sent).toEqual([{ channel: RELAY_CHANNEL, payload: relayPayload("tenant-a", "c2") }]);

    const started = Date.now();
    const woke = waitForChange("tenant-a", { conversationId: "c3", timeoutMs: 5000 });
    pg.fromOtherProcess("another-process:tenant-a:c3");
    await woke;
    expect(Date.now() - started).toBeLessThan(1000);

    // This process's own change, echoed back by Postgres, does not wake its readers a second time.
    const waitedFrom = Date.now();
    const quiet = waitForChange("tenant-a", { conversationId: "c4", timeoutMs: 300 });
    pg.fromOtherProcess(relayPayload("tenant-a", "c4"));
    await quiet;
    expect(Date.now() - waitedFrom).toBeGreaterThanOrEqual(290);
  });
});
