import { fork } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { lookupOrder, searchCatalog } from "@/server/demo/catalog";

type Catalog = { port: number; requests: () => Promise<number>; close: () => Promise<void> };
type FromChild = { port: number } | { requests: number };

/** The demo store API (catalog search + order lookup) on 127.0.0.1, so integration states run for real. */
export async function startFakeCatalog(): Promise<Catalog> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/catalog/search") return send(200, searchCatalog(Object.fromEntries(url.searchParams)));
    const order = url.pathname.match(/^\/orders\/([^/]+)$/);
    if (order) {
      const found = lookupOrder(decodeURIComponent(order[1]!));
      return found ? send(200, found) : send(404, { error: "order not found" });
    }
    send(404, { error: "not found" });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    requests: async () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The fake catalog in its own process, as a tenant's store API would be: served from the load generator's
 * event loop, its answers would wait behind the generator's own work and inflate integration turns.
 */
export async function startFakeCatalogProcess(): Promise<Catalog> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () =>
    new Promise<FromChild>((resolve, reject) => {
      child.once("message", (m) => resolve(m as FromChild));
      child.once("exit", (code) => reject(new Error(`fake catalog exited (${code})`)));
    });
  const { port } = (await next()) as { port: number };
  return {
    port,
    requests: async () => {
      const counted = next();
      child.send("count");
      return ((await counted) as { requests: number }).requests;
    },
    close: async () => {
      if (child.exitCode === null) child.kill();
    },
  };
}

if (process.argv.includes("--serve") && process.send && path.resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const catalog = await startFakeCatalog();
  process.send({ port: catalog.port } satisfies FromChild);
  process.on("message", async () => process.send!({ requests: await catalog.requests() } satisfies FromChild));
  process.on("disconnect", () => process.exit(0));
}
