import type { TrpcDeps } from "@/server/trpc/init";
import { handleTrpcRequest } from "@/server/trpc/fetch-handler";

export const APP_ORIGIN = "http://localhost:3000";

type Call = { input?: unknown; cookie?: string; headers?: Record<string, string> };
export type TrpcAnswer = { status: number; headers: Headers; data?: unknown; error?: { message: string; code: number; data: { code: string; httpStatus: number; appCode: string | null; details: unknown; fieldErrors: unknown } }; raw: string };

/** One tRPC call over HTTP through the real handler and context builder (superjson on the wire, unbatched). */
export async function trpcHttp(deps: TrpcDeps, kind: "query" | "mutation", path: string, call: Call = {}): Promise<TrpcAnswer> {
  const payload = JSON.stringify({ json: call.input ?? null });
  const headers: Record<string, string> = { ...(call.cookie ? { cookie: call.cookie } : {}), ...call.headers };
  const req =
    kind === "query"
      ? new Request(`${APP_ORIGIN}/api/trpc/${path}?input=${encodeURIComponent(payload)}`, { headers })
      : new Request(`${APP_ORIGIN}/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: payload });
  const res = await handleTrpcRequest(req, deps);
  const raw = await res.text();
  const body = JSON.parse(raw) as { result?: { data: { json: unknown } }; error?: { json: TrpcAnswer["error"] } };
  return { status: res.status, headers: res.headers, data: body.result?.data.json, error: body.error?.json, raw };
}

/** What a browser on the app's own page sends with a POST. */
export const SAME_ORIGIN = { origin: APP_ORIGIN, "sec-fetch-site": "same-origin" };
