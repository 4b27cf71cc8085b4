import { Column, Name, Param, SQL, StringChunk, Table } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

const defaultDialect = new PgDialect();
export type Query = { sql: string; params: unknown[] };
type Casing = { getColumnCasing(column: Column): string };

const escapeName = (name: string) => `"${name.replace(/"/g, '""')}"`;
const isPlainValue = (chunk: unknown) => chunk === null || chunk instanceof Date || (typeof chunk !== "object" && typeof chunk !== "function");

// drizzle's own table symbols (drizzle-orm/table.js), registered globally by name.
const TABLE_NAME = Symbol.for("drizzle:Name");
const TABLE_SCHEMA = Symbol.for("drizzle:Schema");
const IS_ALIAS = Symbol.for("drizzle:IsAlias");

function tableName(table: Table): string {
  const t = table as unknown as Record<symbol, string | boolean | undefined>;
  const name = escapeName(t[TABLE_NAME] as string);
  const schema = t[TABLE_SCHEMA] as string | undefined;
  return schema === undefined || t[IS_ALIAS] ? name : `${escapeName(schema)}.${name}`;
}

function pushParam(value: unknown, out: Query) {
  out.params.push(value);
  out.sql += `$${out.params.length}`;
}

/** Appends the chunks' text and parameters; false as soon as a chunk needs drizzle's own rendering. */
function append(chunks: readonly unknown[], casing: Casing, out: Query): boolean {
  for (const chunk of chunks) {
    if (chunk === undefined) continue;
    if (chunk instanceof StringChunk) out.sql += chunk.value.join("");
    else if (chunk instanceof SQL) {
      if (isRendered(chunk)) throw new Error("A rendered statement (db/statement.ts) cannot be nested in another");
      if ((chunk as unknown as { shouldInlineParams: boolean }).shouldInlineParams || !append(chunk.queryChunks, casing, out)) return false;
    } else if (Array.isArray(chunk)) {
      out.sql += "(";
      for (let i = 0; i < chunk.length; i++) {
        if (i > 0) out.sql += ", ";
        if (!append([chunk[i]], casing, out)) return false;
      }
      out.sql += ")";
    } else if (isPlainValue(chunk)) pushParam(chunk, out);
    else if (chunk instanceof Column) out.sql += `${tableName(chunk.table)}.${escapeName(casing.getColumnCasing(chunk))}`;
    else if (chunk instanceof Table) out.sql += tableName(chunk);
    else if (chunk instanceof Name) out.sql += escapeName(chunk.value);
    else if (chunk instanceof Param) {
      if (chunk.value === null) pushParam(null, out);
      else if (!isPlainValue(chunk.value) && typeof chunk.value === "object" && !Array.isArray(chunk.value) && Object.getPrototypeOf(chunk.value) !== Object.prototype) return false;
      else {
        const mapped = chunk.encoder.mapToDriverValue(chunk.value);
        if (mapped instanceof SQL) {
          if (!append([mapped], casing, out)) return false;
        } else pushParam(mapped, out);
      }
    } else return false;
  }
  return true;
}

/**
 * Appends one value of a sql`` template (a parameter, a list, a column, a table, a nested SQL) as drizzle renders it;
 * false (with `out` partly written) when it needs drizzle's own rendering.
 */
export const appendChunk = (chunk: unknown, out: Query): boolean => append([chunk], (defaultDialect as unknown as { casing: Casing }).casing, out);

/** A statement rendered already (db/statement.ts `RenderedSql`), known by its text and parameters. */
const isRendered = (statement: SQL): statement is SQL & { rendered: Query } => "rendered" in statement;

/**
 * Renders a statement to text and parameters exactly as drizzle's Postgres dialect does, for what the app
 * writes (sql`` templates, sql.join, plain values, and the query builders' tables, columns and encoded
 * parameters), without drizzle's per-chunk entity checks and tracing span: on the message path those cost as
 * much as the driver's own work. Anything else (placeholders, views, subqueries, aliased fields, inlined
 * parameters) is rendered by drizzle itself, so the answer is always drizzle's.
 */
export function compileSql(statement: SQL, casing: Casing = (defaultDialect as unknown as { casing: Casing }).casing): Query | null {
  if (isRendered(statement)) return statement.rendered;
  const out: Query = { sql: "", params: [] };
  return append(statement.queryChunks, casing, out) ? out : null;
}

type PatchableDialect = { casing: Casing; sqlToQuery(statement: SQL, invokeSource?: string): Query };

/** Makes a drizzle database render its queries through compileSql, falling back to drizzle for the rest. */
export function withFastSqlRendering<T>(db: T): T {
  const dialect = (db as unknown as { dialect?: PatchableDialect }).dialect;
  if (!dialect) return db;
  const drizzleRender = dialect.sqlToQuery.bind(dialect);
  dialect.sqlToQuery = (statement, invokeSource) => (invokeSource === undefined ? compileSql(statement, dialect.casing) : null) ?? drizzleRender(statement, invokeSource);
  return db;
}

/** A hand-written statement's text and parameters (turn-transaction.ts). */
export const renderSql = (statement: SQL): Query => compileSql(statement) ?? defaultDialect.sqlToQuery(statement);
