import { openDb, type DbHandle } from "@/db/client";
import { env } from "./env";

const globalForDb = globalThis as unknown as { __dbHandle?: DbHandle; __dbReady?: Promise<void> };

/** The process-wide database handle; kept on globalThis so dev reloads do not open a second PGlite. */
export function dbHandle(): DbHandle {
  if (!globalForDb.__dbHandle) {
    const e = env();
    globalForDb.__dbHandle = openDb({ databaseUrl: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR, poolSize: e.DATABASE_POOL_SIZE });
  }
  return globalForDb.__dbHandle;
}

export function getDb() {
  return dbHandle().db;
}

/** Lets tests and the benchmark point the route handlers at a database they created. */
export function installDbHandle(handle: DbHandle): void {
  globalForDb.__dbHandle = handle;
}
