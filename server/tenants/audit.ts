import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";

export type AuditEntry = {
  tenantId: string;
  actorUserId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}
