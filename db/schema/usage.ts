import { bigint, date, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";

/**
 * Per-tenant daily counters. Each (tenant, metric, day) is split over shards so concurrent turns of one busy
 * tenant do not queue on a single row lock; a day's value is the sum of its shards. A turn adds to the shard
 * of the database connection it runs on: its backend's pid modulo `USAGE_SHARDS` (server/pipeline/persist-turn.ts).
 * The modulus is the whole smallint range because backends alive at once have distinct pids, so two turns
 * in flight never share a row. With 64 shards a pool's pids spread over more than 64 collided, and the
 * bench's first messages spent most of their write waiting for another turn's commit.
 */
export const USAGE_SHARDS = 32768;

export const usageCounters = pgTable(
  "usage_counters",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    day: date("day").notNull(),
    shard: smallint("shard").notNull().default(0),
    value: bigint("value", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.metric, t.day, t.shard] })],
);
