import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";

export const PLANS = ["starter", "professional", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];
export const TENANT_STATUSES = ["active", "suspended"] as const;

export const tenants = pgTable(
  "tenants",
  {
    id: id(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    plan: text("plan", { enum: PLANS }).notNull().default("starter"),
    status: text("status", { enum: TENANT_STATUSES }).notNull().default("active"),
    /** IANA zone the analytics' days are counted in. */
    timeZone: text("time_zone").notNull().default("UTC"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("tenants_slug_key").on(t.slug)],
);
