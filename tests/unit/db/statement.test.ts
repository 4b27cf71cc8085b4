import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { compileSql } from "@/db/compile-sql";
import { conversations } from "@/db/schema";
import { joinStatements, noStatement, stmt, toSql } from "@/db/statement";

const dialect = new PgDialect();
const at = new Date("2026-12-06T10:00:00Z");

describe("stmt", () => {
  it("renders what the same drizzle sql`` renders: nesting, lists, drizzle SQL inside, parameters in order", () => {
    const rows = [1, 2, 3].map((n) => ({ id: `m-${n}`, text: n === 2 ? null : `It's "${n}" $1` }));
    const tenant = sql`${"t-1"}::uuid`;
    const ours = toSql(
      stmt`with ins as (insert into messages (id, text, created_at) values ${joinStatements(rows.map((r) => stmt`(${r.id}, ${r.text}, ${at}::timestamptz)`), ", ")})
        select ${conversations.id} from ${conversations} where tenant_id = ${tenant} ${noStatement} and status = ${"open"} ${stmt`and ${true}`}`,
    );
    const theirs = dialect.sqlToQuery(
      sql`with ins as (insert into messages (id, text, created_at) values ${sql.join(rows.map((r) => sql`(${r.id}, ${r.text}, ${at}::timestamptz)`), sql`, `)})
        select ${conversations.id} from ${conversations} where tenant_id = ${tenant} ${sql``} and status = ${"open"} ${sql`and ${true}`}`,
    );
    expect(ours.rendered.sql).toBe(theirs.sql);
    expect(ours.rendered.params).toEqual(theirs.params);
    expect(ours.rendered.params).toEqual(["m-1", 'It\'s "1" $1', at, "m-2", null, at, "m-3", 'It\'s "3" $1', at, "t-1", "open", true]);
  });

  it("hands its text and parameters on as they are, to compileSql and to drizzle's own dialect", () => {
    const statement = toSql(stmt`select ${1} + ${stmt`${2}`}`);
    expect(compileSql(statement)).toEqual({ sql: "select $1 + $2", params: [1, 2] });
    expect(dialect.sqlToQuery(statement)).toEqual({ sql: "select $1 + $2", params: [1, 2] });
  });

  it("makes an undefined value a null parameter, never a hole in the statement", () => {
    expect(toSql(stmt`values (${"a"}, ${undefined}, ${"c"})`).rendered).toEqual({ sql: "values ($1, $2, $3)", params: ["a", null, "c"] });
  });

  it("refuses what it cannot render itself instead of rendering it wrong", () => {
    expect(() => toSql(stmt`select ${sql`${"x"}`.inlineParams()}`)).toThrow(/compileSql renders itself/);
    expect(() => compileSql(sql`select * from (${toSql(stmt`select ${1}`)}) s`)).toThrow(/cannot be nested/);
  });
});
