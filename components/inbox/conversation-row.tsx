import Link from "next/link";
import type { InboxRow } from "@/server/inbox/inbox-queries";
import { statusLabel } from "@/server/inbox/inbox-schemas";
import { agentName, CHANNEL_LABELS, waitingFor } from "./inbox-wording";
import styles from "./inbox.module.css";

const AUTHOR_PREFIX = { user: "", bot: "Bot: ", agent: "Agent: " } as const;

/** One conversation in the list; everything the visitor wrote is rendered as text. */
export function ConversationRow({ row, now }: { row: InboxRow; now: number }) {
  return (
    <li className={styles.row}>
      <Link href={`/dashboard/inbox/${row.id}`} className={styles.rowLink} data-testid="conversation-row" data-conversation-id={row.id} data-status={row.status}>
        <span className={styles.who}>
          {row.unread ? <span className={styles.unreadDot} role="img" aria-label="Unread" title="Unread" data-testid="unread-dot" /> : null}
          <span>{row.end_user.label}</span>
          {row.sandbox ? <span className={styles.test} title="A conversation from the dashboard's test widget">Test</span> : null}
        </span>
        <span className={styles.meta}>
          <span>{CHANNEL_LABELS[row.channel] ?? row.channel}</span>
          {row.primary_intent ? <span>{row.primary_intent}</span> : null}
          <span className={styles.status} data-status={row.status}>
            {statusLabel(row.status)}
          </span>
          {row.waiting_since ? (
            <span className={styles.waiting} data-testid="wait-time" suppressHydrationWarning>
              {waitingFor(row.waiting_since, now)}
            </span>
          ) : null}
          {row.status === "with_agent" && row.assigned_agent ? <span>{agentName(row.assigned_agent)}</span> : null}
          <span>{`${row.message_count} messages`}</span>
        </span>
        <span className={styles.preview} data-testid="conversation-preview">
          {row.last_message ? `${AUTHOR_PREFIX[row.last_message.author]}${row.last_message.text}` : "No messages yet"}
        </span>
      </Link>
    </li>
  );
}
