import { SQL } from "drizzle-orm";
import { appendChunk, type Query } from "./compile-sql";

/**
 * A statement the message path builds for every message (the turn's write), written as a tagged template,
 * `stmt\`... ${value} ...\``, and rendered once, straight to text and parameters. drizzle's sql`` makes an
 * object and an array for every text fragment and checks the class of every value as it is built and again
 * as it is rendered: on a first message that was a quarter of all the request allocated. A Statement keeps
 * its template's strings (one frozen array per call site, made once by the engine) and its values.
 *
 * A plain value is a parameter (undefined too, as null); a nested Statement is inlined; anything else (a list,
 * a drizzle SQL, column or table) is rendered as in drizzle's sql``, by compileSql, which must render it itself.
 */
export class Statement {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

export const stmt = (strings: TemplateStringsArray, ...values: unknown[]): Statement => new Statement(strings, values);

/** Renders nothing, where a part of a statement is left out. */
export const noStatement = new Statement([""], []);

/** The parts one after the other, `separator` (text of the statement) between them. */
export function joinStatements(parts: readonly (Statement | SQL)[], separator: string): Statement {
  return new Statement(["", ...parts.slice(1).map(() => separator), ...(parts.length ? [""] : [])], parts);
}

function render(statement: Statement, out: Query): void {
  const { strings, values } = statement;
  out.sql += strings[0];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value instanceof Statement) render(value, out);
    else if (value === null || value === undefined || typeof value !== "object" || value instanceof Date) {
      // drizzle renders undefined as nothing at all: a hole in the statement.
      out.params.push(value ?? null);
      out.sql += `$${out.params.length}`;
    } else if (!appendChunk(value, out)) throw new Error("A statement can only hold drizzle SQL that compileSql renders itself");
    out.sql += strings[i + 1];
  }
}

/**
 * drizzle's SQL for a rendered statement, for `db.execute` and the turn's transaction: compileSql and drizzle's
 * own dialect both hand its text and parameters on as they are. It is a whole statement: it cannot be nested
 * in another.
 */
export class RenderedSql extends SQL {
  constructor(readonly rendered: Query) {
    super([]);
  }

  override toQuery(): Query {
    return this.rendered;
  }
}

export function toSql(statement: Statement): RenderedSql {
  const out: Query = { sql: "", params: [] };
  render(statement, out);
  return new RenderedSql(out);
}
