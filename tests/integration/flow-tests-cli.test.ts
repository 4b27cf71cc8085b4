import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { canvasMetaSchema } from "@/server/flow-store/canvas-meta";
import { saveDraft } from "@/server/flow-store/flow-drafts";
import { createFlow, publishFlow } from "@/server/flow-store/flow-service";
import { saveTestCase } from "@/server/flow-testing/test-case-store";
import { processMessage } from "@/server/pipeline/process-message";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { helpDesk } from "../helpers/help-desk-flow";
import { createTestDbLocation } from "../helpers/test-db";

const run = promisify(execFile);
let location: Awaited<ReturnType<typeof createTestDbLocation>>;
let tenantId: string;
let flowId: string;

/** The CLI's exit code and the JSON it printed on stdout (the report, whether or not a case failed). */
async function flowTest(): Promise<{ code: number; report: Record<string, unknown> }> {
  const env = { ...process.env, DATABASE_URL: "", PGLITE_DIR: "", ...location.env };
  try {
    const { stdout } = await run("npx", ["tsx", "server/cli/main.ts", "flow", "test", "--tenant", tenantId, "--flow", flowId], { env, cwd: process.cwd() });
    return { code: 0, report: JSON.parse(stdout) };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, report: JSON.parse(err.stdout) };
  }
}

beforeAll(async () => {
  location = await createTestDbLocation();
  const handle = location.open();
  try {
    await handle.migrate();
    const { tenant } = await createTenantWithOwner(handle.db, { companyName: "Gate Co", email: "ci@gate.test", passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
    tenantId = tenant.id;
    const flow = await createFlow(handle.db, tenantId, null, { name: "Help desk", definition: helpDesk("Parcels ship within 2 days.") });
    flowId = flow.id;
    await publishFlow(handle.db, tenantId, null, flowId);
    const asked = await processMessage({ db: handle.db }, tenantId, { user_id: "visitor", channel: "web", content: { type: "text", text: "when will my parcel ship" } });
    await saveTestCase(handle.db, tenantId, null, { conversationId: asked.conversation_id, name: "Parcel question" });
    await saveDraft(handle.db, tenantId, null, { flowId, definition: helpDesk("Parcels ship tomorrow."), canvas: canvasMetaSchema.parse({}), baseRevision: 0 });
  } finally {
    await handle.close();
  }
}, 120_000);
afterAll(async () => {
  await location.dispose();
});

describe("npm run cli -- flow test", () => {
  it("prints the suite as JSON and exits 1 when a case fails against the draft", { timeout: 120_000 }, async () => {
    const draft = await flowTest();
    expect(draft.code).toBe(1);
    expect(draft.report).toMatchObject({
      flow_id: flowId,
      version: "draft",
      passed: 0,
      failed: 1,
      cases: [{ name: "Parcel question", passed: false, first_difference: "Turn 1: expected reply “Parcels ship within 2 days.”, got “Parcels ship tomorrow.”" }],
      intents: [{ intent: "shipping", f1: 1, previous_f1: 1 }],
    });
  });
});
