import type { WidgetClient } from "../client";
import { WidgetApiError } from "../envelope";
import type { BotContent } from "../types";
import { readSse } from "./sse";

/** `event: message` of the events stream: what a person (or the away timer) wrote outside the visitor's own answers. */
export type LiveMessage = { sequence: number; text: string; author: "agent" | "bot"; agent_name: string | null; content?: BotContent };
export type LiveStatus = { status: string; agent_name: string | null };

type LiveOptions = {
  client: WidgetClient;
  conversationId: string;
  /** The highest sequence already shown: only later messages are wanted. */
  after: number;
  onMessage(message: LiveMessage): void;
  onStatus(status: LiveStatus): void;
  /** Waits between reconnections; injected by tests. */
  wait?: (ms: number) => Promise<void>;
};

const MAX_BACKOFF_MS = 60_000;

/**
 * Agent replies and status changes as they happen. Read with fetch (not EventSource) so the visitor token
 * travels in the Authorization header; a dropped stream reconnects after 1 s, then ever more slowly while it
 * keeps failing, resuming after the last sequence seen. A conversation that is not (or no longer) the visitor's ends it.
 */
export function liveEvents(options: LiveOptions): { close(): void } {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let stopped = false;
  let abort: AbortController | null = null;
  let cursor = options.after;
  let backoff = 1000;

  async function run() {
    while (!stopped) {
      abort = new AbortController();
      try {
        const response = await options.client.fetch(`conversations/${encodeURIComponent(options.conversationId)}/events?after=${cursor}`, {
          headers: { accept: "text/event-stream" },
          signal: abort.signal,
        });
        if (response.status === 404 || response.status === 403) return;
        if (response.ok && response.body) {
          backoff = 1000;
          await readSse(response.body, ({ event, data }) => {
            if (event === "message") {
              const message = JSON.parse(data) as LiveMessage;
              if (message.sequence <= cursor) return;
              cursor = message.sequence;
              options.onMessage(message);
            } else if (event === "status") options.onStatus(JSON.parse(data) as LiveStatus);
          });
        }
      } catch (error) {
        // A visitor who may not chat (identity required) has nothing to listen to.
        if (stopped || error instanceof WidgetApiError) return;
      }
      if (stopped) return;
      await wait(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  void run();
  return {
    close() {
      stopped = true;
      abort?.abort();
    },
  };
}
