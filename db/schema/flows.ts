import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { tenants } from "./tenants";
import { users } from "./users";

export const flows = pgTable(
  "flows",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    draft: jsonb("draft").notNull(),
    /** What only the editor reads (node positions, sample integration responses): never part of a published definition. */
    canvas: jsonb("canvas").notNull().default({}),
    /** Bumped by every save; a save based on an older revision is refused, so two editors never silently overwrite. */
    draftRevision: integer("draft_revision").notNull().default(0),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    publishedVersionId: uuid("published_version_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("flows_tenant_name_key").on(t.tenantId, t.name)],
);

// Rows are never updated: a trigger in the migrations rejects UPDATE.
export const flowVersions = pgTable(
  "flow_versions",
  {
    id: id(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    flowId: uuid("flow_id").notNull().references(() => flows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    note: text("note"),
    /** Set when this version re-published an older one (a roll back). */
    restoredFrom: integer("restored_from"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("flow_versions_flow_version_key").on(t.flowId, t.version), index("flow_versions_tenant_idx").on(t.tenantId)],
);
