/**
 * An app process for the webhook chaos test: the real webhook route behind node:http on 127.0.0.1:$PORT
 * and the in-process delivery workers, wired from the environment as in production. CLOCK_OFFSET_MS moves
 * the workers' clock forward, so a restarted process finds its dead predecessor's leases expired without
 * the test waiting them out. Prints "ready" once it listens. Run with `node --import tsx`.
 */
import { createServer } from "node:http";
import { GET, POST } from "@/app/api/webhooks/[type]/[channelId]/route";
import { getDb } from "@/server/db";
import { startDeliveryWorkers } from "@/server/outbox/worker";
import { pipelineDepsFor } from "@/server/pipeline/pipeline-deps";

const port = Number(process.env.PORT);
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const handlers = { GET, POST };

startDeliveryWorkers({ db: getDb(), depsFor: () => pipelineDepsFor(getDb()), pollMs: 50, now: () => new Date(Date.now() + offset) });

createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
  const match = url.pathname.match(/^\/api\/webhooks\/([^/]+)\/([^/]+)$/);
  const handler = handlers[req.method as keyof typeof handlers];
  if (!match || !handler) return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])));
  const request = new Request(url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
  const response = await handler(request, { params: Promise.resolve({ type: match[1]!, channelId: match[2]! }) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}).listen(port, "127.0.0.1", () => console.log("ready"));
