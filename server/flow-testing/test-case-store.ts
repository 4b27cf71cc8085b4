import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flowTestCases, users } from "@/db/schema";
import { AppError } from "../errors/app-error";
import { requireFlow } from "../flow-store/flow-service";
import { recordAudit } from "../tenants/audit";
import { captureConversation } from "./capture-conversation";
import { testCaseTurnsSchema, type TestCaseTurn } from "./test-case-schema";

export type StoredTestCase = { id: string; name: string; turns: TestCaseTurn[] };

/** Saves a stored conversation as a test case of the flow it ran on. */
export async function saveTestCase(db: Db, tenantId: string, actorUserId: string | null, input: { conversationId: string; name: string }) {
  const captured = await captureConversation(db, tenantId, input.conversationId);
  const [saved] = await db
    .insert(flowTestCases)
    .values({ tenantId, flowId: captured.flowId, name: input.name, sourceConversationId: input.conversationId, turns: captured.turns, createdBy: actorUserId })
    .onConflictDoNothing({ target: [flowTestCases.flowId, flowTestCases.name] })
    .returning({ id: flowTestCases.id, name: flowTestCases.name, flowId: flowTestCases.flowId });
  if (!saved) {
    const message = `This flow already has a test case named “${input.name}”.`;
    throw new AppError("CONFLICT", message, { fields: { name: message } });
  }
  await recordAudit(db, { tenantId, actorUserId, action: "flow_test_case.created", targetType: "flow", targetId: captured.flowId, details: { test_case_id: saved.id, name: saved.name } });
  return { ...saved, turns: captured.turns.length, flowVersion: captured.flowVersion };
}

export async function listTestCases(db: Db, tenantId: string, flowId: string) {
  await requireFlow(db, tenantId, flowId);
  const rows = await db
    .select({ id: flowTestCases.id, name: flowTestCases.name, turns: flowTestCases.turns, sourceConversationId: flowTestCases.sourceConversationId, createdAt: flowTestCases.createdAt, createdBy: users.email })
    .from(flowTestCases)
    .leftJoin(users, eq(users.id, flowTestCases.createdBy))
    .where(and(eq(flowTestCases.flowId, flowId), eq(flowTestCases.tenantId, tenantId)))
    .orderBy(asc(flowTestCases.name));
  return rows.map(({ turns, ...row }) => ({ ...row, turns: testCaseTurnsSchema.parse(turns).length }));
}

/** The flow's test cases with their turns, read back through the schema that wrote them. */
export async function testCasesOf(db: Db, tenantId: string, flowId: string): Promise<StoredTestCase[]> {
  const rows = await db
    .select({ id: flowTestCases.id, name: flowTestCases.name, turns: flowTestCases.turns })
    .from(flowTestCases)
    .where(and(eq(flowTestCases.flowId, flowId), eq(flowTestCases.tenantId, tenantId)))
    .orderBy(asc(flowTestCases.name));
  return rows.map((row) => ({ ...row, turns: testCaseTurnsSchema.parse(row.turns) }));
}

export async function deleteTestCase(db: Db, tenantId: string, actorUserId: string | null, testCaseId: string): Promise<void> {
  const [gone] = await db
    .delete(flowTestCases)
    .where(and(eq(flowTestCases.id, testCaseId), eq(flowTestCases.tenantId, tenantId)))
    .returning({ flowId: flowTestCases.flowId, name: flowTestCases.name });
  if (!gone) throw new AppError("NOT_FOUND", "Test case not found.");
  await recordAudit(db, { tenantId, actorUserId, action: "flow_test_case.deleted", targetType: "flow", targetId: gone.flowId, details: { test_case_id: testCaseId, name: gone.name } });
}
