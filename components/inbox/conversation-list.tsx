"use client";
import { useMemo, useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import type { InboxPage, InboxRow } from "@/server/inbox/inbox-queries";
import { filtersToSearchParams, type InboxFiltersInput } from "@/server/inbox/inbox-schemas";
import { ConversationRow } from "./conversation-row";
import styles from "./inbox.module.css";
import { useInboxStream } from "./use-inbox-stream";
import { useNow } from "./use-now";

type Props = { filters: InboxFiltersInput; initial: InboxPage; renderedAt: string };

function ordered(rows: InboxRow[], sort: InboxFiltersInput["sort"]): InboxRow[] {
  const key = (r: InboxRow) => (sort === "waiting" ? r.waiting_since ?? r.updated_at : r.updated_at);
  return [...rows].sort((a, b) => (sort === "waiting" ? key(a).localeCompare(key(b)) : key(b).localeCompare(key(a))));
}

/** The list, kept live: a changed conversation moves to its place (new ones to the top), one that stops matching leaves. */
export function ConversationList({ filters, initial, renderedAt }: Props) {
  const [rows, setRows] = useState(initial.rows);
  const [cursor, setCursor] = useState(initial.next_cursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(Date.parse(renderedAt));
  const query = useMemo(() => filtersToSearchParams(filters), [filters]);

  useInboxStream(query, renderedAt, {
    onConversation({ matches, ...row }) {
      setRows((current) => {
        const others = current.filter((r) => r.id !== row.id);
        return matches ? ordered([row, ...others], filters.sort) : others;
      });
    },
  });

  async function loadMore() {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await api.inbox.list.query({ ...filters, cursor });
      setRows((current) => {
        const known = new Set(current.map((r) => r.id));
        return [...current, ...page.rows.filter((r) => !known.has(r.id))];
      });
      setCursor(page.next_cursor);
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setLoading(false);
    }
  }

  return (
    <div data-testid="inbox">
      <ul className={styles.list} aria-label="Conversations" aria-live="polite">
        {rows.map((row) => (
          <ConversationRow key={row.id} row={row} now={now} />
        ))}
      </ul>
      {rows.length === 0 ? <p className="muted">No conversations match these filters yet. New ones appear here as visitors write.</p> : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {cursor ? (
        <div className={styles.more}>
          <button type="button" className="secondary" onClick={() => void loadMore()} disabled={loading} data-testid="load-more">
            {loading ? "Loading…" : "Load more"}
          </button>
        </div>
      ) : null}
    </div>
  );
}
