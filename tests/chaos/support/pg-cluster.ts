import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../helpers/free-port";

const run = promisify(execFile);
const PG_ROOT = "/usr/lib/postgresql";

export type PgCluster = {
  /** postgres://… for the cluster's `postgres` database, on 127.0.0.1 only. */
  url: string;
  port: number;
  /** `pg_ctl -m immediate stop`: every backend dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts the cluster again and resolves once it accepts connections. */
  start(): Promise<void>;
  destroy(): Promise<void>;
};

function serverBin(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).filter((v) => existsSync(path.join(PG_ROOT, v, "bin/initdb"))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) {
    throw new Error(`The chaos tests need the PostgreSQL 15 server binaries (initdb, pg_ctl under ${PG_ROOT}/<version>/bin). Install them: apt-get install postgresql-15`);
  }
  return path.join(PG_ROOT, newest, "bin");
}

/** initdb and postgres refuse to run as root; as root the cluster belongs to the `postgres` user, as .ci/start-services.sh does it. */
async function clusterOwner(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/**
 * A throwaway Postgres cluster on a free loopback port (fsync off, trust auth), so a test can kill and
 * restart it without touching the shared one.
 */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = serverBin();
  const owner = await clusterOwner();
  const dir = mkdtempSync(path.join(tmpdir(), "chaos-pg-"));
  const data = path.join(dir, "data");
  if (owner) chownSync(dir, owner.uid, owner.gid);
  // A clean environment: PG* variables of the caller (PGPORT, PGDATA…) must not steer the cluster.
  const env = { PATH: process.env.PATH ?? "", LANG: "C.UTF-8" } as unknown as NodeJS.ProcessEnv;
  const asOwner = (tool: string, args: string[]) => run(path.join(bin, tool), args, { ...owner, cwd: dir, env });
  const port = await freePort();
  await asOwner("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = async () => void (await asOwner("pg_ctl", ["-D", data, "-o", serverOptions, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "start"]));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    kill: async () => void (await asOwner("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])),
    start,
    async destroy() {
      await asOwner("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
