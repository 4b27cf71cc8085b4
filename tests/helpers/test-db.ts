import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";

/**
 * A freshly migrated database per test file: a new database on the real Postgres of
 * DATABASE_URL when set (as in CI), an in-memory PGlite otherwise.
 */
export async function createTestDb(): Promise<DbHandle & { dispose(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = openDb({ pgliteDir: "memory://" });
    await handle.migrate();
    return { ...handle, dispose: () => handle.close() };
  }
  const name = `test_${randomUUID().replace(/-/g, "")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const handle = openDb({ databaseUrl: dbUrl.toString(), poolSize: 20 });
  await handle.migrate();
  return {
    ...handle,
    async dispose() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** An empty database another process can use (via env), and a way to open it afterwards. */
export async function createTestDbLocation(): Promise<{ env: Record<string, string>; open(): DbHandle; dispose(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/pglite-test-`);
    return { env: { PGLITE_DIR: dir }, open: () => openDb({ pgliteDir: dir }), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `test_${randomUUID().replace(/-/g, "")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: dbUrl.toString() },
    open: () => openDb({ databaseUrl: dbUrl.toString() }),
    async dispose() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
