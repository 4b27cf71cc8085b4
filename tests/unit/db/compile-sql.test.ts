import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/postgres-js";
import { compileSql, renderSql, withFastSqlRendering } from "@/db/compile-sql";
import * as schema from "@/db/schema";
import { conversations, outboxMessages, webhookInbox } from "@/db/schema";
import { lockStatements } from "@/server/pipeline/conversation-repo";
import { persistTurnStatement } from "@/server/pipeline/persist-turn";

const dialect = new PgDialect();
const TENANT = "5d1c7a52-0f39-4b7e-9a57-2f1d3c4b5a69";
const now = new Date("2026-12-02T10:00:00Z");

function turnWrite(isNew: boolean) {
  return persistTurnStatement({
    tenantId: TENANT,
    conversation: { id: "a1b2c3d4-0000-4000-8000-000000000001", isNew, status: "in_progress", state: null, flowVersionId: null, messageCount: 0, lastSequence: 0, returningUser: false },
    input: { user_id: "u-1", channel: "whatsapp", content: { type: "text", text: "It's <b>'quoted'</b> $1" }, delivery: { channel_id: "c3d4e5f6-0000-4000-8000-000000000002", address: { to: "+15550001" } } } as never,
    messageId: "m-1",
    now,
    result: { answer: "x" },
    replies: [{ type: "text", text: "Hi there", quick_replies: ["A", "B"] }, { type: "text", text: "Second" }] as never,
    intent: { name: "greeting", confidence: 0.9 },
    modelUsed: null,
    processingMs: 4,
    state: { current_state: "greet" },
    status: "escalated",
    facts: { states: ["greet", "ask"], notUnderstood: true, botAnswered: true, sandbox: false, modelCalls: [] } as never,
  });
}

describe("compileSql", () => {
  it("renders the message path's statements exactly as drizzle does, parameters in the same order", () => {
    const statements = [
      ...lockStatements(TENANT, { user_id: "u-1", channel: "web", content: { type: "text", text: "Hi" }, message_id: "m-1" } as never, now).statements,
      ...lockStatements(TENANT, { user_id: "u-1", channel: "web", content: { type: "text", text: "Hi" }, conversation_id: "a1b2c3d4-0000-4000-8000-000000000001", sameChannelOnly: true } as never, now).statements,
      sql`select ${[1, "two", null]} as list, ${sql.join([sql`${1}`, sql`${2}`], sql` + `)} as sum, ${undefined} ${now} as at, ${true} as yes`,
    ];
    for (const statement of statements) {
      const ours = compileSql(statement)!;
      const theirs = dialect.sqlToQuery(statement);
      expect(ours.sql).toBe(theirs.sql);
      expect(ours.params).toEqual(theirs.params);
    }
    // The turn's write (db/statement.ts): its values are parameters, never text of the statement.
    const write = renderSql(turnWrite(true));
    expect(renderSql(turnWrite(false)).params).toContain("It's <b>'quoted'</b> $1");
    expect(write.sql).not.toContain("quoted");
    expect(write.params).toContain("It's <b>'quoted'</b> $1");
  });

  it("renders the query builders' statements as drizzle does, and leaves what it does not know to drizzle", () => {
    const plain = drizzle.mock({ schema });
    const fast = withFastSqlRendering(drizzle.mock({ schema }));
    const queries = (db: typeof plain) => [
      db.insert(webhookInbox).values({ tenantId: TENANT, channelId: TENANT, externalId: "wamid.1", kind: "message", payload: { text: "a \"quoted\" 'text'" }, receivedAt: sql`now() + ${1} * interval '1 microsecond'` }).onConflictDoNothing({ target: [webhookInbox.channelId, webhookInbox.externalId] }).returning({ id: webhookInbox.id }),
      db.update(outboxMessages).set({ state: "accepted", leaseUntil: null, updatedAt: now, attempts: sql`${outboxMessages.attempts} - 1` }).where(and(eq(outboxMessages.id, TENANT), eq(outboxMessages.attempts, 2))),
      db.select({ id: conversations.id, state: conversations.state }).from(conversations).where(and(eq(conversations.tenantId, TENANT), inArray(conversations.status, ["in_progress", "escalated"]))).orderBy(desc(conversations.updatedAt)).limit(5),
      // Aliased fields and inlined values are drizzle's own rendering.
      db.select({ n: sql<number>`count(*)`.as("n"), x: sql`${sql`${"x"}`.inlineParams()}` }).from(conversations),
    ];
    // The builders' own statements are rendered here, not handed back to drizzle.
    for (const q of queries(plain).slice(0, 3)) expect(compileSql(q.getSQL())).not.toBeNull();
    const theirs = queries(plain).map((q) => q.toSQL());
    const ours = queries(fast).map((q) => q.toSQL());
    expect(ours).toEqual(theirs);
    expect(ours[3]!.sql).toContain("'x'");
    expect(compileSql(sql`select ${sql`${"x"}`.inlineParams()}`)).toBeNull();
    expect(renderSql(sql`select ${sql`${"x"}`.inlineParams()}`).sql).toBe("select 'x'");
  });
});
