import { createServer, type Server } from "node:http";

/** A business's own website on another origin, embedding the widget with the given snippet (any HTML). */
export async function startCustomerSite(port: number, snippet: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    // The shop's own styles try to restyle every button and div; the widget's shadow root keeps them out.
    res.end(
      `<!doctype html><html lang="en"><head><title>Outdoor shop</title><style>button,div{background:#ff0000 !important;font-size:40px}</style></head>` +
        `<body><h1>Outdoor shop</h1><main><p>Tents, stoves and laptops for the trail.</p></main>${snippet}</body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
