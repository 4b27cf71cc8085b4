import type postgres from "postgres";

/*
 * A transaction on one postgres.js connection that ends, whatever happens to the backend.
 *
 * postgres.js 3.4.9 gets this wrong in several ways once a connection dies: a statement sent on a
 * connection whose socket has closed is written from a setImmediate that dereferences the null socket
 * (an uncaught TypeError, porsager/postgres#1208); a socket that closes with a write pending leaves
 * that pool slot unable to flush ever again (LanternOps/breeze#3225); `sql.reserve()` leaves its
 * request queued when its connection attempt fails, and that request later swallows a healthy
 * connection for good (see also porsager/postgres#1195), so after an outage the pool drains; and
 * statements queued for a reserved connection never settle when it closes (porsager/postgres#1186).
 *
 * So a session does what the driver's own `sql.begin` does, minus its extra round trip: BEGIN goes
 * through the pool, and the `onexecute` hook pins the connection it was written to (the driver hands a
 * pinned connection back to the pool by itself once Postgres reports the transaction over). The
 * session's statements go to that connection only, queued while it cannot take more; BEGIN need not
 * be awaited first, so a turn's opening statements travel with it. When the connection closes the
 * session fails what it still holds and sends nothing more; a connection that broke or does not
 * answer the rollback is closed, never handed back half-open.
 */

/** The driver's connection object, as far as this module touches it (the same fields `sql.begin` uses). */
type DriverConnection = {
  /** False: take nothing more until idle. */
  execute(query: Query): boolean;
  /** While set, called whenever the connection has nothing in flight; the driver clears it when the transaction ends. */
  reserved: (() => void) | null;
  onclose: ((error: Error) => void) | null;
  terminate(): void;
};
type Params = postgres.ParameterOrJSON<never>[];
type Query = postgres.PendingQuery<postgres.Row[]> & { handler: (query: Query) => void; reject(error: Error): void };

const ROLLBACK_WITHIN_MS = 2000;

/** Errors after which the connection is unusable: the socket died, or the server ended the session. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT",
  // Socket errors, as the driver passes them on.
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  // Postgres shutting down or starting up: admin_shutdown, crash_shutdown, cannot_connect_now.
  "57P01", "57P02", "57P03",
]);
export function isConnectionError(error: unknown): boolean {
  for (let e = error as { code?: unknown; severity?: unknown; cause?: unknown } | null; e && typeof e === "object"; e = e.cause as typeof e) {
    if ((typeof e.code === "string" && CONNECTION_CODES.has(e.code)) || e.severity === "FATAL" || e.severity === "PANIC") return true;
  }
  return false;
}

const connectionGone = () => Object.assign(new Error("The database connection closed during the transaction"), { code: "CONNECTION_CLOSED" });

/** A query that fails without being sent; `values()` because drizzle asks for rows as arrays. */
function refused(): Query {
  const rejected = Promise.reject(connectionGone());
  return Object.assign(rejected, { values: () => rejected }) as unknown as Query;
}

export type PgSession = {
  /**
   * Sends BEGIN, and with `lockKey` the transaction's advisory lock in the same message (one statement
   * cycle fewer than a statement of its own); statements may follow before it is answered.
   */
  begin(mode?: string, lockKey?: bigint): Promise<unknown>;
  unsafe(query: string, params?: Params, options?: postgres.UnsafeQueryOptions): postgres.PendingQuery<postgres.Row[]>;
  /** After COMMIT was answered. */
  done(): void;
  /** After a failure: rolls back, or closes a connection that broke or does not answer. */
  abort(error: unknown): Promise<void>;
};

export function openPgSession(client: postgres.Sql): PgSession {
  let connection: DriverConnection | undefined;
  let started: Promise<unknown> | undefined;
  let gone = false;
  let full = true;
  const pending: Query[] = [];

  const fail = (error: Error) => {
    gone = true;
    for (const query of pending.splice(0)) query.reject(error);
  };
  const onclose = () => fail(connectionGone());
  const flush = () => {
    while (connection && !full && pending.length) full = !connection.execute(pending.shift()!);
  };
  const idle = () => {
    full = false;
    flush();
  };
  const pinned = () => connection?.reserved === idle;
  const detach = () => {
    if (connection?.onclose === onclose) connection.onclose = null;
  };
  const onexecute = (c: DriverConnection) => {
    connection = c;
    c.reserved = idle;
    c.onclose = onclose;
    full = false;
    queueMicrotask(flush);
    // Read by the pool as "busy": it parks the connection and gives it no other work.
    return false;
  };
  const send = (query: string, params: Params = [], options?: postgres.UnsafeQueryOptions) => {
    if (gone) return refused();
    const q = client.unsafe(query, params, options) as Query;
    // Query#handle hands the query to `handler` a tick later: to this session's connection, not the pool.
    q.handler = (own) => {
      if (gone) return own.reject(connectionGone());
      pending.push(own);
      flush();
    };
    return q;
  };

  return {
    begin(mode = "", lockKey) {
      // A simple query takes no parameters; a bigint prints as digits and a sign only.
      const lock = typeof lockKey === "bigint" ? `; select pg_advisory_xact_lock(${lockKey.toString()})` : "";
      const begin = client.unsafe(`begin ${mode.replace(/[^a-z ]/gi, "")}${lock}`, [], { onexecute } as postgres.UnsafeQueryOptions);
      started = begin.catch(fail);
      return begin;
    },
    unsafe: send,
    done: detach,
    async abort(error) {
      await started;
      // Never pinned (BEGIN failed), or the transaction is over and the driver took the connection back.
      if (!connection || !pinned()) return detach();
      if (!gone && !isConnectionError(error)) {
        let timer: NodeJS.Timeout | undefined;
        const rolledBack = await Promise.race([
          send("rollback").then(() => true, () => false),
          new Promise<false>((resolve) => (timer = setTimeout(resolve, ROLLBACK_WITHIN_MS, false))),
        ]);
        clearTimeout(timer);
        if (rolledBack) return detach();
      }
      detach();
      if (gone) return; // The pool has the closed connection back and reconnects it on demand.
      fail(connectionGone());
      // Let a write the driver still has pending go out first: closing with one pending is what leaves a
      // slot unable to flush. Closing the session makes Postgres roll the transaction back.
      await new Promise((resolve) => setImmediate(resolve));
      connection.terminate();
    },
  };
}

type ScopedSql = { unsafe: PgSession["unsafe"]; savepoint<T>(...args: unknown[]): Promise<T> };

/**
 * `sql.begin` on a session, for drizzle's `db.transaction`: BEGIN, the callback (statements prepared
 * and cached per connection), COMMIT; nested transactions are savepoints.
 */
export async function runPgTransaction<T>(client: postgres.Sql, mode: string, fn: (scoped: ScopedSql) => Promise<T>): Promise<T> {
  const session = openPgSession(client);
  let savepoints = 0;
  const scoped: ScopedSql = {
    unsafe: (query, params, options) => session.unsafe(query, params, { ...options, prepare: true }),
    async savepoint<R>(...args: unknown[]): Promise<R> {
      const inner = args.at(-1) as (s: ScopedSql) => Promise<R>;
      const name = `s${++savepoints}`;
      await session.unsafe(`savepoint ${name}`);
      try {
        return await inner(scoped);
      } catch (error) {
        await session.unsafe(`rollback to savepoint ${name}`);
        throw error;
      }
    },
  };
  try {
    await session.begin(mode);
    const value = await fn(scoped);
    await session.unsafe("commit");
    session.done();
    return value;
  } catch (error) {
    await session.abort(error);
    throw error;
  }
}
