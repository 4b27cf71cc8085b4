import type { Metadata } from "next";
import { AvailabilityToggle } from "@/components/inbox/availability-toggle";
import { ConversationList } from "@/components/inbox/conversation-list";
import { InboxFilters } from "@/components/inbox/inbox-filters";
import styles from "@/components/inbox/inbox.module.css";
import { serverApi } from "@/lib/server-api";
import { summarizeIssues } from "@/server/errors/zod-messages";
import { filtersFromSearchParams, inboxFiltersSchema, type InboxFiltersInput } from "@/server/inbox/inbox-schemas";

export const metadata: Metadata = { title: "Inbox" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function InboxPage({ searchParams }: { searchParams: SearchParams }) {
  const asked = filtersFromSearchParams(await searchParams);
  // A hand-edited link with a bad value lists everything and says which value it could not use.
  const checked = inboxFiltersSchema.safeParse(asked);
  const filters: InboxFiltersInput = checked.success ? asked : {};
  const api = await serverApi();
  const renderedAt = new Date().toISOString();
  const [page, agents] = await Promise.all([api.inbox.list(filters), api.inbox.agents()]);
  const me = agents.find((a) => a.you);

  return (
    <div>
      <div className={styles.toolbar}>
        <h1>Inbox</h1>
        {me ? <AvailabilityToggle initial={me.available} /> : null}
      </div>
      <section className="card" aria-label="Filters">
        <InboxFilters filters={filters} agents={agents} />
        {checked.success ? null : (
          <p className="alert" role="alert">
            {`${summarizeIssues(checked.error).replace(/\.$/, "")}. Showing every conversation instead.`}
          </p>
        )}
      </section>
      <section className="card" aria-label="Conversations">
        <ConversationList key={JSON.stringify(filters)} filters={filters} initial={page} renderedAt={renderedAt} />
      </section>
    </div>
  );
}
