import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { openDb } from "@/db/client";

/*
 * Migrating costs every test file its database's set-up (on PGlite, initdb plus the migrations is most of a
 * file's CPU), so it happens once per migration set: a migrated template that each file's database is a copy
 * of. Both are keyed by a hash of db/migrations (and of the PGlite version, whose data format a template
 * must match), so a changed or added migration gets a new template, never a stale one.
 */

const migrationsDir = path.join(process.cwd(), "db/migrations");

function migrationsKey(extra: string): string {
  const hash = createHash("sha256").update(extra);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(path.relative(migrationsDir, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  };
  walk(migrationsDir);
  return hash.digest("hex").slice(0, 16);
}

const pgliteVersion = () => JSON.parse(readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")).version as string;

/** The path of a migrated PGlite data-dir tarball, made now if this migration set has none yet. */
export async function pgliteTemplate(): Promise<string> {
  const file = path.join(tmpdir(), `chatbot-pglite-template-${migrationsKey(`pglite ${pgliteVersion()}`)}.tar`);
  if (existsSync(file)) return file;
  const handle = openDb({ pgliteDir: "memory://" });
  await handle.migrate();
  const tarball = await (handle.db as unknown as { $client: PGlite }).$client.dumpDataDir("none");
  await handle.close();
  // Written aside and renamed, so a run starting meanwhile never reads half a file.
  const partial = `${file}.${randomUUID()}`;
  writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
  renameSync(partial, file);
  return file;
}

let tarball: Promise<Blob> | undefined;
/** The migrated PGlite data dir, read once per test file. */
export function pgliteTemplateData(): Promise<Blob> {
  tarball ??= pgliteTemplate().then((file) => new Blob([readFileSync(file)]));
  return tarball;
}

/**
 * The name of a migrated template database on the Postgres of `url`, made now if missing. It allows no
 * connections, so `CREATE DATABASE … TEMPLATE` never finds it "being accessed by other users", however many
 * files copy it at once. An advisory lock keeps concurrent runs from building it twice.
 */
export async function postgresTemplate(url: string): Promise<string> {
  const name = `test_template_${migrationsKey("postgres")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const exists = async () => (await admin`select 1 from pg_database where datname = ${name} and datistemplate`).length > 0;
    if (await exists()) return name;
    // One connection (max: 1), so the session-level lock and every statement after it share a session.
    await admin`select pg_advisory_lock(hashtext('chatbot test template'))`;
    if (!(await exists())) {
      // A build that died half-way left an unmarked database behind: start again.
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.unsafe(`create database ${name}`);
      const dbUrl = new URL(url);
      dbUrl.pathname = `/${name}`;
      const handle = openDb({ databaseUrl: dbUrl.toString(), poolSize: 1 });
      await handle.migrate();
      await handle.close();
      await admin.unsafe(`alter database ${name} with is_template true allow_connections false`);
    }
    return name;
  } finally {
    await admin.end();
  }
}
