import { randomUUID } from "node:crypto";
import { execFileSync } from "node:child_process";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";
import { pgliteTemplate, pgliteTemplateData, postgresTemplate } from "./migrated-template";

/**
 * A freshly migrated database per test file: a new database on the real Postgres of
 * DATABASE_URL when set (as in CI), an in-memory PGlite otherwise. Either is a copy of the
 * migrated template (migrated-template.ts), so no file pays for initdb or the migrations.
 */
export async function createTestDb(): Promise<DbHandle & { dispose(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = openDb({ pgliteDir: "memory://", pgliteData: await pgliteTemplateData() });
    return { ...handle, dispose: () => handle.close() };
  }
  const { name, dbUrl, admin } = await createPostgresCopy(url);
  const handle = openDb({ databaseUrl: dbUrl, poolSize: 20 });
  return {
    ...handle,
    async dispose() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A migrated database another process can use (via env), and a way to open it afterwards. */
export async function createTestDbLocation(): Promise<{ env: Record<string, string>; open(): DbHandle; dispose(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(`${tmpdir()}/pglite-test-`);
    // The tarball holds the data dir's files as they lie on disk; unpacking it is what PGlite's loadDataDir does.
    execFileSync("tar", ["-xf", await pgliteTemplate(), "-C", dir]);
    return { env: { PGLITE_DIR: dir }, open: () => openDb({ pgliteDir: dir }), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const { name, dbUrl, admin } = await createPostgresCopy(url);
  return {
    env: { DATABASE_URL: dbUrl },
    open: () => openDb({ databaseUrl: dbUrl }),
    async dispose() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let template: Promise<string> | undefined;
async function createPostgresCopy(url: string) {
  template ??= postgresTemplate(url);
  const name = `test_${randomUUID().replace(/-/g, "")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${await template}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return { name, dbUrl: dbUrl.toString(), admin };
}
