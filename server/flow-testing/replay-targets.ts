import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { conversations, flows, flowVersions } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { listVersions } from "../flow-store/flow-versions";
import { publishedVersionNumber } from "./flow-targets";

/** What a conversation can be replayed against: its flow's draft, published version, or any version by number. */
export type ReplayTargets = {
  flow_id: string;
  flow_name: string;
  /** The version the conversation ran on. */
  ran_on_version: number;
  published_version: number | null;
  /** Newest first. */
  versions: { version: number; note: string | null; created_at: Date }[];
};

/** NOT_FOUND for another workspace's conversation; null when it ran on no flow version (nothing to replay it against). */
export async function replayTargets(db: Db, tenantId: string, conversationId: string): Promise<ReplayTargets | null> {
  const [row] = await db
    .select({ flowId: flows.id, flowName: flows.name, version: flowVersions.version })
    .from(conversations)
    .leftJoin(flowVersions, and(eq(flowVersions.id, conversations.flowVersionId), eq(flowVersions.tenantId, tenantId)))
    .leftJoin(flows, and(eq(flows.id, flowVersions.flowId), eq(flows.tenantId, tenantId)))
    .where(and(eq(conversations.id, conversationId), eq(conversations.tenantId, tenantId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Conversation not found.");
  if (!row.flowId || !row.flowName || row.version === null) return null;
  // Not listVersions' `live`: that marks the workspace's live flow, while a replay's "published" is this flow's own.
  const [versions, published] = await Promise.all([listVersions(db, tenantId, row.flowId), publishedVersionNumber(db, tenantId, row.flowId)]);
  return {
    flow_id: row.flowId,
    flow_name: row.flowName,
    ran_on_version: row.version,
    published_version: published,
    versions: versions.map((v) => ({ version: v.version, note: v.note, created_at: v.createdAt })),
  };
}
