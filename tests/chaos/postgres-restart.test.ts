import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { GET as health } from "@/app/api/v2/health/route";
import { openDb, type DbHandle } from "@/db/client";
import { messages } from "@/db/schema";
import { installKv } from "@/server/cache";
import { createMemoryKv } from "@/server/cache/memory-kv";
import { installDbHandle } from "@/server/db";
import { healthSchema } from "@/server/http/health-schema";
import { acked, failed, outcomeOf, startLoad } from "./support/chat-load";
import { startPgCluster, type PgCluster } from "./support/pg-cluster";
import { chatRequest, seedTenant } from "./support/seed-tenant";

const OUTAGE_MS = 5000;
const RECOVERY_BOUND_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: PgCluster;
let handle: DbHandle;
let tenantId: string;
let key: string;

beforeAll(async () => {
  // Every request during the outage is logged as an internal error; the assertions say what matters.
  vi.spyOn(console, "error").mockImplementation(() => {});
  cluster = await startPgCluster();
  handle = openDb({ databaseUrl: cluster.url, poolSize: 5 });
  await handle.migrate();
  installDbHandle(handle);
  installKv(createMemoryKv());
  ({ tenantId, key } = await seedTenant(handle.db));
});
afterAll(async () => {
  await handle?.close();
  await cluster?.destroy();
});

describe("Postgres killed and restarted under load", () => {
  it("serves again within 5 s of Postgres accepting connections, with no acknowledged message lost", { timeout: 45_000 }, async () => {
    const load = startLoad({ send: async (body) => outcomeOf(await postMessage(chatRequest(key, body))), virtualUsers: 4, pauseMs: 30, answerWithinMs: 8000 });
    await sleep(1500);
    const killedAt = Date.now();
    await cluster.kill();
    await sleep(OUTAGE_MS);
    await cluster.start();
    const acceptingAt = Date.now();
    await sleep(RECOVERY_BOUND_MS + 1500);
    const attempts = await load.stop();

    // The outage was felt, by requests sent while Postgres was down.
    expect(acked(attempts).filter((a) => a.finishedAt < killedAt).length).toBeGreaterThan(0);
    expect(failed(attempts).length).toBeGreaterThan(0);
    // Every request got an answer: none hung on a connection whose backend had died.
    expect(attempts.filter((a) => a.outcome.status === "no answer").map((a) => a.outcome)).toEqual([]);

    const firstOkAfterRestart = Math.min(...acked(attempts).filter((a) => a.startedAt >= acceptingAt).map((a) => a.finishedAt));
    expect(firstOkAfterRestart - acceptingAt).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    // Errors only during the outage: none before the kill, none once service was back.
    const outsideOutage = failed(attempts).filter((a) => a.finishedAt < killedAt || a.startedAt > firstOkAfterRestart);
    expect(outsideOutage.map((a) => ({ ...a.outcome, startedAfterRestartMs: a.startedAt - acceptingAt }))).toEqual([]);

    // Every acknowledged message is stored, once.
    const ackedIds = acked(attempts).map((a) => a.body.message_id);
    const stored = await handle.db
      .select({ id: messages.externalId, copies: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.direction, "inbound"), inArray(messages.externalId, ackedIds)))
      .groupBy(messages.externalId);
    expect(stored.length).toBe(ackedIds.length);
    expect(stored.filter((s) => s.copies !== 1)).toEqual([]);

    const report = healthSchema.parse(await (await health()).json());
    expect(report.databases.postgres).toMatchObject({ status: "up", driver: "postgres" });
  });
});
