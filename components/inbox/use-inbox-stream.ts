"use client";
import { useEffect, useRef } from "react";
import type { ChangedRow } from "@/server/inbox/inbox-queries";
import type { TranscriptEvent, TranscriptMessage } from "@/server/inbox/transcript";

export type InboxStreamHandlers = {
  onConversation?(row: ChangedRow): void;
  onMessage?(message: TranscriptMessage): void;
  onEvent?(event: TranscriptEvent): void;
};

/** Rows stamped shortly before the page was rendered may commit after it: the stream starts a little earlier (repeats merge away). */
const OVERLAP_MS = 5_000;

/**
 * Subscribes to /api/inbox/stream (server/inbox/inbox-stream.ts) while mounted. `query` is the inbox's filter
 * query (plus `conversation`/`after_sequence` for a transcript); `since` is when the page's data was read.
 * EventSource reconnects by itself after a dropped connection; handlers merge by id, so a repeat is harmless.
 */
export function useInboxStream(query: URLSearchParams, since: string, handlers: InboxStreamHandlers) {
  const latest = useRef(handlers);
  latest.current = handlers;
  const key = query.toString();
  useEffect(() => {
    const params = new URLSearchParams(key);
    params.set("since", new Date(Date.parse(since) - OVERLAP_MS).toISOString());
    const source = new EventSource(`/api/inbox/stream?${params}`);
    const on = <T,>(name: string, handle: (data: T) => void) => source.addEventListener(name, (e) => handle(JSON.parse((e as MessageEvent<string>).data) as T));
    on<ChangedRow>("conversation", (row) => latest.current.onConversation?.(row));
    on<TranscriptMessage>("message", (m) => latest.current.onMessage?.(m));
    on<TranscriptEvent>("conversation_event", (ev) => latest.current.onEvent?.(ev));
    return () => source.close();
  }, [key, since]);
}
