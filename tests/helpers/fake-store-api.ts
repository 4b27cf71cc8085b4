import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { lookupOrder, searchCatalog } from "@/server/demo/catalog";

/** The demo store's catalog and order API as a real HTTP server on loopback. */
export async function startFakeStoreApi(): Promise<{ baseUrl: string; host: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const order = url.pathname.match(/\/orders\/([^/]+)$/);
    const body = url.pathname.endsWith("/catalog/search") ? searchCatalog(Object.fromEntries(url.searchParams)) : order ? lookupOrder(decodeURIComponent(order[1]!)) : null;
    res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
