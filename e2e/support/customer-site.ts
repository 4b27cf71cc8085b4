import { createServer, type Server } from "node:http";

/** A business's own website on another origin, embedding the widget with the given snippet. */
export async function startCustomerSite(port: number, snippet: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Outdoor shop</title></head><body><h1>Outdoor shop</h1>${snippet}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
