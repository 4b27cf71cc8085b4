import type { SQL } from "drizzle-orm";
import type { Db } from "./client";

/**
 * Runs hand-written SQL and returns its rows, whichever driver is underneath (postgres.js answers with
 * an array, PGlite with `{ rows }`). Used on the hot message path, where one statement replaces several
 * query-builder calls. The query is sent when this is called (a bare drizzle query waits for its first
 * `await`), so calls made back to back reach the connection in call order.
 */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
