// One production worker: Next's request handler behind our own HTTP server, so the client's address is
// taken from the socket (and TRUSTED_PROXIES), which Next's own server does not expose to route handlers.
// Usage: node scripts/next-worker.mjs -p PORT [-H HOST]
import http from "node:http";
import next from "next";
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress } from "../server/http/client-address.mjs";

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

const server = http.createServer((req, res) => {
  const address = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trust);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
  handle(req, res).catch((error) => {
    console.error(`[worker] ${req.method} ${req.url}`, error);
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
// Longer than common proxies' idle timeouts, as `next start` does, so a proxy never reuses a socket we closed.
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => console.log(`[worker ${process.pid}] ready on ${hostname ?? "all interfaces"}:${port}`));
