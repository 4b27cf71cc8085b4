import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
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

export type DbOptions = { databaseUrl?: string; pgliteDir?: string; poolSize?: number };

type Unsafe = (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
type Scoped = (...args: unknown[]) => unknown;
type PatchableSql = { unsafe: Unsafe; begin?: Scoped; savepoint?: Scoped };

/**
 * drizzle asks postgres.js not to prepare unnamed queries, and postgres.js then sends every
 * parameterized query as describe-first: two round trips per query. This restores the driver's
 * default (named statements, cached per connection and recycled with it), in transactions and
 * savepoints too, so a query costs one round trip and Postgres skips re-planning.
 */
function withPreparedStatements<T>(client: T): T {
  const sql = client as unknown as PatchableSql;
  const unsafe = sql.unsafe;
  sql.unsafe = (query, params, options) => unsafe(query, params, { ...options, prepare: true });
  for (const scope of ["begin", "savepoint"] as const) {
    const original = sql[scope];
    if (!original) continue;
    sql[scope] = (...args: unknown[]) => {
      const fn = args.at(-1);
      if (typeof fn !== "function") return original(...args);
      return original(...args.slice(0, -1), (scoped: unknown) => fn(withPreparedStatements(scoped)));
    };
  }
  return client;
}

/** DATABASE_URL set: Postgres through `postgres`; unset: PGlite on disk (or in memory for "memory://"). */
export function openDb(opts: DbOptions): DbHandle {
  if (opts.databaseUrl) {
    const client = withPreparedStatements(postgres(opts.databaseUrl, { max: opts.poolSize ?? 10, onnotice: () => {} }));
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder }),
      ping: async () => void (await client`select 1`),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = opts.pgliteDir ?? ".data/pglite";
  if (dir !== "memory://") mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir === "memory://" ? undefined : dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    ping: async () => void (await client.query("select 1")),
    close: () => client.close(),
  };
}
