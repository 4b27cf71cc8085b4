"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api, describeError } from "@/lib/trpc-client";
import { timeAgo } from "@/lib/time-ago";
import type { DeadLetter } from "@/server/outbox/dead-letters";
import { CHANNEL_LABELS } from "../inbox/inbox-wording";

type Props = {
  letters: DeadLetter[];
  /** Owners and admins retry; members see the list without buttons. */
  canManage: boolean;
  /** The server's clock when the page was rendered, so "5 minutes ago" reads the same after hydration. */
  now: Date;
};

const STATE_WORDS = { dead: (attempts: number) => `Gave up after ${attempts} ${attempts === 1 ? "attempt" : "attempts"}`, failed: () => "Refused by the platform" } as const;

const retriedWords = (n: number) => (n === 0 ? "Nothing was left to retry." : `Queued ${n} ${n === 1 ? "reply" : "replies"} again: they are sent in order with the next replies.`);

/** Replies to messaging channels that did not reach the customer, with the platform's reason, and a retry. */
export function DeliveryProblems({ letters, canManage, now }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function retry(ids: string[] | undefined, key: string) {
    setPending(key);
    setNotice(null);
    setError(null);
    try {
      setNotice(retriedWords((await api.outbox.retry.mutate({ ids })).retried));
      router.refresh();
    } catch (e) {
      setError(describeError(e).message);
    } finally {
      setPending(null);
    }
  }

  return (
    <section className="card" data-testid="delivery-problems">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2>Delivery</h2>
        {canManage && letters.length > 1 ? (
          <button type="button" className="secondary" data-testid="retry-all-dead-letters" disabled={pending !== null} onClick={() => void retry(undefined, "all")}>
            {pending === "all" ? "Retrying…" : "Retry all"}
          </button>
        ) : null}
      </div>
      {notice ? (
        <p className="notice" role="status" data-testid="dead-letters-retried">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="alert" role="alert">
          {error}
        </p>
      ) : null}
      {letters.length === 0 ? (
        <p className="muted" data-testid="delivery-empty">
          Every reply was delivered.
        </p>
      ) : (
        <div className="scroll-x">
          <table>
            <caption className="muted" style={{ textAlign: "left" }}>
              Replies that did not reach the customer. A retry sends them again once the cause (credentials, the platform) is fixed.
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Channel</th>
                <th scope="col">Reply</th>
                <th scope="col">Reason</th>
                <th scope="col">Attempts</th>
                {canManage ? <th scope="col"><span className="muted">Action</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {letters.map((l) => (
                <tr key={l.id} data-testid="dead-letter-row" data-id={l.id}>
                  <td>
                    <time dateTime={new Date(l.createdAt).toISOString()}>{timeAgo(new Date(l.createdAt), now)}</time>
                  </td>
                  <td>{CHANNEL_LABELS[l.channelType] ?? l.channelType}</td>
                  <td>
                    <Link href={`/dashboard/inbox/${l.conversationId}`}>{l.preview || "Open the conversation"}</Link>
                  </td>
                  <td>
                    {l.reason ?? "No reason given"}
                    <div className="muted">{STATE_WORDS[l.state](l.attempts)}</div>
                  </td>
                  <td>{l.attempts}</td>
                  {canManage ? (
                    <td>
                      <button type="button" className="secondary" data-testid="retry-dead-letter" disabled={pending !== null} onClick={() => void retry([l.id], l.id)}>
                        {pending === l.id ? "Retrying…" : "Retry"}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
