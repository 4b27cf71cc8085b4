import { eq, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { compileSql } from "@/db/compile-sql";
import { conversations } from "@/db/schema";
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
      ...lockStatements(TENANT, { user_id: "u-1", channel: "web", content: { type: "text", text: "Hi" }, message_id: "m-1" } as never, now),
      ...lockStatements(TENANT, { user_id: "u-1", channel: "web", content: { type: "text", text: "Hi" }, conversation_id: "a1b2c3d4-0000-4000-8000-000000000001", sameChannelOnly: true } as never, now),
      turnWrite(true),
      turnWrite(false),
      sql`select ${[1, "two", null]} as list, ${sql.join([sql`${1}`, sql`${2}`], sql` + `)} as sum, ${undefined} ${now} as at, ${true} as yes`,
    ];
    for (const statement of statements) {
      const ours = compileSql(statement);
      const theirs = dialect.sqlToQuery(statement);
      expect(ours.sql).toBe(theirs.sql);
      expect(ours.params).toEqual(theirs.params);
    }
    // The values are parameters, never text of the statement.
    const write = compileSql(turnWrite(true));
    expect(write.sql).not.toContain("quoted");
    expect(write.params).toContain("It's <b>'quoted'</b> $1");
  });

  it("leaves what it does not render itself (columns, inlined values) to drizzle", () => {
    for (const statement of [sql`select ${conversations.id} from ${conversations} where ${eq(conversations.tenantId, TENANT)}`, sql`select ${sql.raw("1")}, ${sql`${"x"}`.inlineParams()}`]) {
      expect(compileSql(statement)).toEqual(dialect.sqlToQuery(statement));
    }
    expect(compileSql(sql`select ${sql`${"x"}`.inlineParams()}`).sql).toBe("select 'x'");
  });
});
