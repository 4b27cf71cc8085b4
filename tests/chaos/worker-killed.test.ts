import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { messages } from "@/db/schema";
import { outcomeOf, startLoad, type ChatBody } from "./support/chat-load";
import { freePort } from "../helpers/free-port";
import { startPgCluster, type PgCluster } from "./support/pg-cluster";
import { chatRequest, seedTenant } from "./support/seed-tenant";
import { chatWorker, type Worker } from "./support/worker-process";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: PgCluster;
let handle: DbHandle;
let worker: Worker;
let tenantId: string;
let key: string;

beforeAll(async () => {
  cluster = await startPgCluster();
  handle = openDb({ databaseUrl: cluster.url, poolSize: 2 });
  await handle.migrate();
  ({ tenantId, key } = await seedTenant(handle.db));
  // The worker's own settings: this cluster, and the in-process cache whatever the caller's environment says.
  worker = chatWorker(await freePort(), { DATABASE_URL: cluster.url, REDIS_URL: "", UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "" });
  await worker.start();
}, 60_000);
afterAll(async () => {
  await worker?.kill9();
  await handle?.close();
  await cluster?.destroy();
});

const post = async (body: ChatBody) => outcomeOf(await fetch(chatRequest(key, body, worker.baseUrl)));

describe("worker killed with SIGKILL under load", () => {
  it("stores every acknowledged message, and each redelivered unacknowledged one exactly once", { timeout: 60_000 }, async () => {
    const load = startLoad({ send: post, virtualUsers: 4, pauseMs: 5, backoffMs: 200, answerWithinMs: 5000 });
    await sleep(1500);
    await worker.kill9();
    await sleep(300);
    await worker.start();
    const restartedAt = Date.now();
    await sleep(1500);
    const attempts = await load.stop();

    // The kill cut requests off mid-flight and refused the ones sent while no worker listened; nothing
    // else went wrong: every request was either answered 200 or not answered at all.
    const unanswered = attempts.filter((a) => a.outcome.status === "no answer");
    expect(unanswered.length).toBeGreaterThan(0);
    expect(attempts.filter((a) => a.outcome.status !== 200 && a.outcome.status !== "no answer").map((a) => a.outcome)).toEqual([]);
    expect(attempts.filter((a) => a.outcome.status === 200 && a.startedAt > restartedAt).length).toBeGreaterThan(0);

    // A client redelivers what it got no answer for, under the same message_id.
    const redelivered = await Promise.all(unanswered.map((a) => post(a.body)));
    expect(redelivered.filter((o) => o.status !== 200)).toEqual([]);

    const stored = await handle.db
      .select({ id: messages.externalId, copies: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.tenantId, tenantId), eq(messages.direction, "inbound")))
      .groupBy(messages.externalId);
    const sent = new Set(attempts.map((a) => a.body.message_id));
    expect(stored.filter((s) => s.copies !== 1)).toEqual([]);
    expect(new Set(stored.map((s) => s.id))).toEqual(sent);
  });
});
