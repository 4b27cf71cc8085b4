import { SQL, StringChunk } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

const dialect = new PgDialect();
type Query = { sql: string; params: unknown[] };

const isParam = (chunk: unknown) => chunk === null || chunk instanceof Date || (typeof chunk !== "object" && typeof chunk !== "function" && chunk !== undefined);

/** Appends the chunks' text and parameters; false as soon as a chunk needs drizzle's own rendering. */
function append(chunks: readonly unknown[], out: Query): boolean {
  for (const chunk of chunks) {
    if (chunk instanceof StringChunk) out.sql += chunk.value.join("");
    else if (chunk instanceof SQL) {
      if (chunk.shouldInlineParams || !append(chunk.queryChunks, out)) return false;
    } else if (Array.isArray(chunk)) {
      out.sql += "(";
      for (let i = 0; i < chunk.length; i++) {
        if (i > 0) out.sql += ", ";
        if (!append([chunk[i]], out)) return false;
      }
      out.sql += ")";
    } else if (chunk === undefined) continue;
    else if (isParam(chunk)) {
      out.params.push(chunk);
      out.sql += `$${out.params.length}`;
    } else return false;
  }
  return true;
}

/**
 * Renders a hand-written statement (sql`` templates, sql.join, plain values) to text and parameters
 * exactly as drizzle's dialect does, without its per-chunk type dispatch and tracing span, which cost as
 * much as the statement's own driver work on the message path. A statement with anything else in it
 * (columns, tables, placeholders, inlined parameters) is rendered by drizzle itself.
 */
export function compileSql(statement: SQL): Query {
  const out: Query = { sql: "", params: [] };
  return append(statement.queryChunks, out) ? out : dialect.sqlToQuery(statement);
}
