// One production worker: Next's request handler behind our own HTTP server, so the client's address is
// taken from the socket (and TRUSTED_PROXIES), which Next's own server does not expose to route handlers.
// Usage: node scripts/next-worker.mjs -p PORT [-H HOST]
import http from "node:http";
import { Readable } from "node:stream";
import next from "next";
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress } from "../server/http/client-address.mjs";
import { API_HEADERS, COMMON_HEADERS, HTTPS_HEADERS } from "../server/security/response-headers.mjs";

function option(short, long, fallback) {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === short || a === long);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
}

const port = Number(option("-p", "--port", process.env.PORT ?? "3000"));
const hostname = option("-H", "--hostname", undefined);
const trust = parseTrustedProxies(process.env.TRUSTED_PROXIES);
process.env.NODE_ENV = "production";

const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

// Set by server/http/direct-routes.ts when the app starts (instrumentation.ts).
const DIRECT_ROUTES = Symbol.for("chatbot-platform.direct-routes");

/** Answers a route the app serves without Next's pipeline, with the headers next.config.mjs gives every /api answer. */
async function serveDirect(handler, req, res) {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.set(name, value);
    }
    const body = req.method === "GET" ? undefined : Readable.toWeb(req);
    const response = await handler(new Request(new URL(req.url, `http://${req.headers.host ?? "localhost"}`), { method: req.method, headers, body, duplex: "half" }));
    const out = {};
    for (const h of [...COMMON_HEADERS, ...API_HEADERS, ...(req.headers["x-forwarded-proto"] === "https" ? HTTPS_HEADERS : [])]) out[h.key] = h.value;
    response.headers.forEach((value, name) => (out[name] = value));
    const payload = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...out, "content-length": payload.length });
    res.end(payload);
  } catch (error) {
    console.error(`[worker] ${req.method} ${req.url}`, error);
    if (res.headersSent) return void res.end();
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "error", error: { code: "INTERNAL_ERROR", message: "Something went wrong on our side. Please retry.", details: null }, meta: { timestamp: new Date().toISOString() } }));
  }
}

const server = http.createServer((req, res) => {
  const address = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trust);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
  const direct = globalThis[DIRECT_ROUTES]?.(req.method ?? "GET", (req.url ?? "/").split("?")[0]);
  if (direct) return void serveDirect(direct, req, res);
  handle(req, res).catch((error) => {
    console.error(`[worker] ${req.method} ${req.url}`, error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
// Longer than common proxies' idle timeouts, as `next start` does, so a proxy never reuses a socket we closed.
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => console.log(`[worker ${process.pid}] ready on ${hostname ?? "all interfaces"}:${port}`));
