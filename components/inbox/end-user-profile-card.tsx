import Link from "next/link";
import type { EndUserProfile } from "@/server/inbox/end-user-profile";
import { statusLabel } from "@/server/inbox/inbox-schemas";
import { CHANNEL_LABELS } from "./inbox-wording";
import styles from "./inbox.module.css";

export function EndUserProfileCard({ profile, currentId }: { profile: EndUserProfile; currentId: string }) {
  return (
    <aside className={`card ${styles.aside}`} aria-labelledby="profile-heading" data-testid="end-user-profile">
      <h2 id="profile-heading">{profile.label}</h2>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{profile.name ?? "Not given"}</dd>
        <dt>Email</dt>
        <dd>{profile.email ?? "Not given"}</dd>
        <dt>First seen</dt>
        <dd>
          <time dateTime={profile.first_seen} suppressHydrationWarning>
            {new Date(profile.first_seen).toLocaleDateString()}
          </time>
        </dd>
        {profile.channel_ids.map((c) => (
          <div key={c.channel} style={{ display: "contents" }}>
            <dt>{CHANNEL_LABELS[c.channel] ?? c.channel}</dt>
            <dd>{c.id}</dd>
          </div>
        ))}
      </dl>
      <h3>{`${profile.conversation_count} ${profile.conversation_count === 1 ? "conversation" : "conversations"}`}</h3>
      <ul>
        {profile.conversations.map((c) => (
          <li key={c.id}>
            {c.id === currentId ? (
              <span aria-current="page">This one</span>
            ) : (
              <Link href={`/dashboard/inbox/${c.id}`}>
                <time dateTime={c.started_at} suppressHydrationWarning>
                  {new Date(c.started_at).toLocaleDateString()}
                </time>
              </Link>
            )}
            {` · ${CHANNEL_LABELS[c.channel] ?? c.channel} · ${statusLabel(c.status)}`}
          </li>
        ))}
      </ul>
    </aside>
  );
}
