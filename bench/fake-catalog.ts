import http from "node:http";
import type { AddressInfo } from "node:net";
import { lookupOrder, searchCatalog } from "@/server/demo/catalog";

/** The demo store API (catalog search + order lookup) on 127.0.0.1, so integration states run for real. */
export async function startFakeCatalog(): Promise<{ port: number; requests: () => number; close: () => Promise<void> }> {
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
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
