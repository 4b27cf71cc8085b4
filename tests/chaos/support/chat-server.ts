/**
 * A worker process for the chaos tests: the real chat and health route handlers behind node:http on
 * 127.0.0.1:$PORT, wired from the environment as in production (DATABASE_URL, the cache). Prints
 * "ready" once it listens. Run with `node --import tsx`.
 */
import { createServer, type IncomingMessage } from "node:http";
import { POST as postMessage } from "@/app/api/v2/chat/message/route";
import { GET as health } from "@/app/api/v2/health/route";

const routes: Record<string, (req: Request) => Promise<Response>> = {
  "POST /api/v2/chat/message": postMessage,
  "GET /api/v2/health": () => health(),
};

async function toRequest(req: IncomingMessage, url: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
}

const port = Number(process.env.PORT);
createServer(async (req, res) => {
  const url = `http://127.0.0.1:${port}${req.url ?? "/"}`;
  const route = routes[`${req.method} ${new URL(url).pathname}`];
  if (!route) return void res.writeHead(404).end();
  const response = await route(await toRequest(req, url));
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}).listen(port, "127.0.0.1", () => console.log("ready"));
