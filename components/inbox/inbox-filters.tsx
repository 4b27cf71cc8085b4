import Link from "next/link";
import { CHANNEL_TYPES } from "@/db/schema/channels";
import type { InboxAgent } from "@/server/inbox/inbox-queries";
import { INBOX_STATUSES, type InboxFiltersInput } from "@/server/inbox/inbox-schemas";
import { agentName, CHANNEL_LABELS } from "./inbox-wording";
import styles from "./inbox.module.css";

/**
 * A plain GET form: the filters live in the URL, so a filtered inbox can be linked to (analytics drill-downs do)
 * and works before any script has loaded.
 */
export function InboxFilters({ filters, agents }: { filters: InboxFiltersInput; agents: InboxAgent[] }) {
  return (
    <form method="get" action="/dashboard/inbox" className={styles.filters} aria-label="Filter conversations" data-testid="inbox-filters">
      <div className="field">
        <label htmlFor="inbox-q">Search</label>
        <input id="inbox-q" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Words in messages" />
      </div>
      <div className="field">
        <label htmlFor="inbox-status">Status</label>
        <select id="inbox-status" name="status" defaultValue={filters.status ?? ""}>
          <option value="">Any</option>
          {Object.entries(INBOX_STATUSES).map(([key, s]) => (
            <option key={key} value={key}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="inbox-channel">Channel</label>
        <select id="inbox-channel" name="channel" defaultValue={filters.channel ?? ""}>
          <option value="">Any</option>
          {CHANNEL_TYPES.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="inbox-assigned">Assigned to</label>
        <select id="inbox-assigned" name="assigned" defaultValue={filters.assigned ?? ""}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="unassigned">Nobody</option>
          {agents.map((a) => (
            <option key={a.user_id} value={a.user_id}>
              {agentName(a)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="inbox-intent">Intent</label>
        <input id="inbox-intent" name="intent" defaultValue={filters.intent ?? ""} placeholder="e.g. order_status" />
      </div>
      <div className="field">
        <label htmlFor="inbox-state">Reached state</label>
        <input id="inbox-state" name="state" defaultValue={filters.state ?? ""} placeholder="e.g. ask_email" />
      </div>
      <div className="field">
        <label htmlFor="inbox-from">From</label>
        <input id="inbox-from" name="from" type="date" defaultValue={filters.from ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="inbox-to">To</label>
        <input id="inbox-to" name="to" type="date" defaultValue={filters.to ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="inbox-sort">Order</label>
        <select id="inbox-sort" name="sort" defaultValue={filters.sort ?? ""}>
          <option value="">Latest activity first</option>
          <option value="waiting">Waiting longest first</option>
        </select>
      </div>
      <div className={styles.filterActions}>
        <label className="row">
          <input type="checkbox" name="not_understood" value="1" defaultChecked={filters.not_understood === "1" || filters.not_understood === "true"} /> Not understood
        </label>
      </div>
      <div className={styles.filterActions}>
        <button type="submit">Apply</button>
        <Link href="/dashboard/inbox">Clear</Link>
      </div>
    </form>
  );
}
