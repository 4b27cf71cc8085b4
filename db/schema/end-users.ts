import { pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { tenants } from "./tenants";

/**
 * Every end user a tenant has started a conversation with, claimed by the write of their first one
 * (server/pipeline/persist-turn.ts). A claim is an insert on the primary key, so it waits for a concurrent
 * claim of the same user and then sees it, whatever its statement's snapshot: a first message stored on
 * presumptions (server/pipeline/presumed-first-turn.ts) relies on that to never open a second conversation.
 */
export const endUsers = pgTable(
  "end_users",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    endUserId: text("end_user_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.endUserId] })],
);
