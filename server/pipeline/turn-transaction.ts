import { sql, type SQL } from "drizzle-orm";
import type postgres from "postgres";
import type { Db } from "@/db/client";
import { renderSql } from "@/db/compile-sql";
import { openPgSession, type PgSession } from "@/db/pg-session";
import { queryRows } from "@/db/query-rows";

export type Rows = Record<string, unknown>[];
export type TurnTx = { query<T>(statement: SQL): Promise<T[]> };
/** `write` is the turn's one closing statement (null when there is nothing to store). */
export type TurnBody<T> = (opened: Rows[], tx: TurnTx) => Promise<{ write: SQL | null; value: T }>;
/** What a transaction runs first: an advisory lock it holds until it ends (`lockKey`), then its statements. */
export type TurnStatements = { lockKey: bigint | null; statements: SQL[] };

/** The lock as a statement of its own, where BEGIN cannot carry it (drivers other than postgres.js). */
async function lockOnOwn(tx: { execute(statement: SQL): Promise<unknown> }, lockKey: bigint | null): Promise<void> {
  if (lockKey !== null) await tx.execute(sql`select pg_advisory_xact_lock(${lockKey.toString()}::int8)`);
}

/**
 * One turn's transaction: the opening lock and statements, the body, then one closing write.
 * On postgres.js, BEGIN (carrying the advisory lock) travels with the opening statements and COMMIT with
 * the write, pipelined on the connection the session pins (db/pg-session.ts), so the whole transaction
 * costs two round trips. Postgres still runs them one at a time, in order, each with its own snapshot.
 * Other drivers (PGlite) run the same statements one by one in a drizzle transaction.
 */
export async function runTurnTransaction<T>(db: Db, opening: TurnStatements, body: TurnBody<T>): Promise<T> {
  const client = (db as { $client?: unknown }).$client as postgres.Sql | undefined;
  if (client && typeof client.unsafe === "function") return runPipelined(client, opening, body);
  return db.transaction(async (tx) => {
    await lockOnOwn(tx, opening.lockKey);
    const opened: Rows[] = [];
    for (const statement of opening.statements) opened.push(await queryRows(tx, statement));
    const { write, value } = await body(opened, { query: (statement) => queryRows(tx, statement) });
    if (write) await tx.execute(write);
    return value;
  });
}

const runOn = (session: PgSession) => (statement: SQL) => {
  const { sql, params } = renderSql(statement);
  return session.unsafe(sql, params as postgres.ParameterOrJSON<never>[], { prepare: true });
};

async function runPipelined<T>(client: postgres.Sql, opening: TurnStatements, body: TurnBody<T>): Promise<T> {
  const session = openPgSession(client);
  const run = runOn(session);
  try {
    // Promise.all starts the queries in array order, so BEGIN reaches Postgres first.
    const [, ...opened] = await Promise.all([session.begin("", opening.lockKey ?? undefined), ...opening.statements.map(run)]);
    const { write, value } = await body(opened as Rows[], { query: async <R>(statement: SQL) => (await run(statement)) as unknown as R[] });
    await Promise.all([...(write ? [run(write)] : []), session.unsafe("commit")]);
    session.done();
    return value;
  } catch (error) {
    // After a failed statement the pipelined COMMIT has already ended the transaction as a rollback;
    // otherwise the session rolls it back, or closes a connection that died or stopped answering.
    await session.abort(error);
    throw error;
  }
}
