"use client";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { api } from "@/lib/trpc-client";
import type { ReplayTargets } from "@/server/flow-testing/replay-targets";
import type { AgentMessageView } from "@/server/inbox/handoff-schemas";
import { statusLabel } from "@/server/inbox/inbox-schemas";
import type { Transcript, TranscriptEntry, TranscriptMessage } from "@/server/inbox/transcript";
import { mergeEntries } from "@/server/inbox/transcript-order";
import { AgentActions } from "./agent-actions";
import { EndUserProfileCard } from "./end-user-profile-card";
import { ReplayConversation } from "./replay-conversation";
import { SaveTestCase } from "./save-test-case";
import { CHANNEL_LABELS } from "./inbox-wording";
import styles from "./inbox.module.css";
import { TranscriptEntryView } from "./transcript-entry";
import { useInboxStream } from "./use-inbox-stream";

type Props = {
  initial: Transcript;
  meId: string;
  resume: { initial: string; states: { name: string; type: string }[] };
  renderedAt: string;
  /** Admins and owners may save the conversation as a test case of its flow. */
  canSaveTestCase: boolean;
  /** What the conversation can be replayed against; null when it ran on no flow version. */
  replayTargets: ReplayTargets | null;
};

/** The message an agent just sent, shown at once; the live stream's copy of it then merges away by id. */
const sentEntry = (sent: AgentMessageView, channel: string, me: { email: string; name: string | null }): TranscriptMessage => ({
  kind: "message",
  id: sent.message_id,
  sequence: sent.sequence,
  at: sent.created_at,
  channel,
  direction: "outbound",
  author: "agent",
  agent: me,
  delivery_status: sent.delivery_status,
  content: { type: "text", text: sent.text },
  bot: null,
});

export function TranscriptView({ initial, meId, resume, renderedAt, canSaveTestCase, replayTargets }: Props) {
  const [conversation, setConversation] = useState(initial.conversation);
  const [entries, setEntries] = useState(initial.entries);
  const [profile, setProfile] = useState(initial.profile);
  const logRef = useRef<HTMLDivElement>(null);
  const id = conversation.id;

  const query = useMemo(() => new URLSearchParams({ conversation: id, after_sequence: String(initial.conversation.last_sequence) }), [id, initial.conversation.last_sequence]);

  async function reload() {
    const fresh = await api.inbox.get.query({ conversationId: id });
    setConversation(fresh.conversation);
    // The server's copies win; entries that arrived live since stay.
    setEntries((current) => mergeEntries(fresh.entries, current));
    setProfile(fresh.profile);
  }

  useInboxStream(query, renderedAt, {
    onMessage: (m) => setEntries((current) => mergeEntries(current, [m])),
    onEvent: (e) => setEntries((current) => mergeEntries(current, [e])),
    // The stream sends only this conversation's row: its status or agent changed, or it was written to.
    onConversation: () => void reload().catch(() => {}),
  });

  // What is on screen has been read; a new message read live is read too.
  const lastSequence = entries.reduce((max, e) => (e.kind === "message" ? Math.max(max, e.sequence) : max), 0);
  useEffect(() => {
    void api.inbox.markRead.mutate({ conversationId: id }).catch(() => {});
  }, [id, lastSequence]);

  useEffect(() => {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight });
  }, [entries.length]);

  const me = conversation.assigned_agent?.user_id === meId ? conversation.assigned_agent : null;

  return (
    <div>
      <p>
        <Link href="/dashboard/inbox">← Inbox</Link>
      </p>
      <div className={styles.toolbar}>
        <h1>{conversation.end_user_label}</h1>
        <span className="row">
          <span className={styles.status} data-status={conversation.status} data-testid="conversation-status">
            {statusLabel(conversation.status)}
          </span>
          <span className="muted">{CHANNEL_LABELS[conversation.channel] ?? conversation.channel}</span>
          {conversation.current_state ? <span className="muted">{`State: ${conversation.current_state}`}</span> : null}
          {conversation.sandbox ? <span className={styles.test}>Test</span> : null}
        </span>
      </div>
      <div className={styles.layout}>
        <section className="card" aria-label="Transcript">
          <div className={styles.log} ref={logRef} role="log" aria-live="polite" data-testid="transcript">
            {entries.map((entry) => (
              <TranscriptEntryView key={entry.id} entry={entry} />
            ))}
          </div>
          <AgentActions
            conversation={conversation}
            meId={meId}
            resume={resume}
            onChanged={() => void reload().catch(() => {})}
            onReplied={(sent) => setEntries((current) => mergeEntries(current, [sentEntry(sent, conversation.channel, me ?? { email: sent.agent_email, name: null })]))}
          />
          {canSaveTestCase ? <SaveTestCase conversationId={id} defaultName={`Conversation with ${conversation.end_user_label}`} /> : null}
        </section>
        <EndUserProfileCard profile={profile} currentId={id} />
      </div>
      <ReplayConversation conversationId={id} targets={replayTargets} />
    </div>
  );
}
