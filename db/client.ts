import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { withFastSqlRendering } from "./compile-sql";
import { runPgTransaction } from "./pg-session";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbHandle = {
  db: Db;
  kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

const migrationsFolder = path.join(process.cwd(), "db/migrations");

/** pgliteData: a PGlite data-dir tarball (from `dumpDataDir`) to start from instead of running initdb. */
export type DbOptions = { databaseUrl?: string; pgliteDir?: string; pgliteData?: Blob; poolSize?: number };

type Unsafe = (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
type PatchableSql = { unsafe: Unsafe; begin: (...args: unknown[]) => unknown };

/**
 * drizzle asks postgres.js not to prepare unnamed queries, and postgres.js then sends every
 * parameterized query as describe-first: two round trips per query. This restores the driver's
 * default (named statements, cached per connection and recycled with it), so a query costs one round
 * trip and Postgres skips re-planning. Transactions (drizzle's `db.transaction` calls `sql.begin`) run
 * on a session that does the same and ends even when the backend dies (see pg-session.ts).
 */
function withSafeTransactions(client: postgres.Sql): postgres.Sql {
  const sql = client as unknown as PatchableSql;
  const unsafe = sql.unsafe;
  sql.unsafe = (query, params, options) => unsafe(query, params, { ...options, prepare: true });
  sql.begin = (...args) => {
    const fn = args.at(-1) as Parameters<typeof runPgTransaction>[2];
    return runPgTransaction(client, args.length > 1 ? String(args[0]) : "", fn);
  };
  return client;
}

/*
 * Every database call ends. A statement may wait for a row lock as long as the turn holding it runs
 * (a turn's budget is at most 62 s: flow-schema caps a state's timeout at 60 s), so the server-side
 * limits sit above that, as backstops; they also end a transaction a stalled process left open.
 * Reconnecting backs off at most half a second, so a restarted Postgres is used again at once.
 */
const STATEMENT_TIMEOUT_MS = 75_000;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 75_000;
const poolOptions = {
  connect_timeout: 5,
  idle_timeout: 60,
  backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
  connection: { statement_timeout: STATEMENT_TIMEOUT_MS, idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS },
  onnotice: () => {},
};

/** Migrations run on a connection of their own, without the statement timeout a long index build would hit. */
async function migrateOnce(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** DATABASE_URL set: Postgres through `postgres`; unset: PGlite on disk (or in memory for "memory://"). */
export function openDb(opts: DbOptions): DbHandle {
  if (opts.databaseUrl) {
    const url = opts.databaseUrl;
    const client = withSafeTransactions(postgres(url, { ...poolOptions, max: opts.poolSize ?? 10 }));
    const db = withFastSqlRendering(drizzlePostgres(client, { schema })) as unknown as Db;
    return {
      db,
      kind: "postgres",
      migrate: () => migrateOnce(url),
      ping: async () => void (await client`select 1`),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = opts.pgliteDir ?? ".data/pglite";
  if (dir !== "memory://") mkdirSync(dir, { recursive: true });
  const client = new PGlite({ dataDir: dir === "memory://" ? undefined : dir, loadDataDir: opts.pgliteData });
  const db = withFastSqlRendering(drizzlePglite(client, { schema })) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    ping: async () => void (await client.query("select 1")),
    close: () => client.close(),
  };
}
