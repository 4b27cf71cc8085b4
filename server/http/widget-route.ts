import { isOriginAllowed, resolveWidget, widgetCorsHeaders, type ResolvedWidget } from "../channels/web-widget";
import { getDb } from "../db";
import { AppError } from "../errors/app-error";
import { enveloped, type ApiResult } from "./respond";

/** `started` is when the request arrived (performance.now()), for the envelope's processing time. */
export type WidgetContext = ResolvedWidget & { req: Request; requestId: string; started: number; key: string; origin: string | null };
/** A handler answers with the envelope's data, or, once every check has passed, with an event stream. */
export type WidgetAnswer = ApiResult | { stream: ReadableStream<Uint8Array> };
type KeyParams = { params: Promise<{ key: string }> };

/** Says why a page sees no chat: the browser only shows the site's visitor a CORS failure. */
const logRefusedOrigin = (origin: string | null, key: string) => console.warn(`[widget] refused: origin ${origin ?? "(none)"} is not allowed to embed widget ${key}`);

/**
 * Every widget route goes through here: the widget's public key resolves the tenant, the page's origin
 * must be one the tenant allowed (CORS is granted only then), and answers use the one envelope.
 * The widget runs in a shadow root on the host page, not in an iframe, so `frame-ancestors` has nothing to
 * govern: the origin check here (and CORS) is what keeps other sites out.
 */
export function widgetRoute(handler: (ctx: WidgetContext) => Promise<WidgetAnswer>) {
  return async (req: Request, { params }: KeyParams): Promise<Response> => {
    const started = performance.now();
    let stream: ReadableStream<Uint8Array> | undefined;
    const checked = await enveloped(req, "widget", async (answering) => {
      const origin = req.headers.get("origin");
      const key = (await params).key;
      const widget = await resolveWidget(getDb(), key);
      if (!isOriginAllowed(widget.settings, origin)) {
        logRefusedOrigin(origin, key);
        throw new AppError("FORBIDDEN", "This site may not embed this chat.");
      }
      answering.headers = widgetCorsHeaders(origin, true);
      const answer = await handler({ ...widget, req, requestId: answering.requestId, started, key, origin });
      if (!("stream" in answer)) return answer;
      stream = answer.stream;
      return { data: null };
    });
    return stream ? eventStreamResponse(stream, checked.headers) : checked;
  };
}

/** The stream in place of the checked envelope, keeping its headers (CORS, request id). */
function eventStreamResponse(stream: ReadableStream<Uint8Array>, checked: Headers): Response {
  const headers = new Headers(checked);
  headers.delete("content-length");
  headers.set("Content-Type", "text/event-stream; charset=utf-8");
  // no-transform keeps compression (which buffers) off the stream; X-Accel-Buffering does the same for nginx.
  headers.set("Cache-Control", "no-cache, no-transform");
  headers.set("X-Accel-Buffering", "no");
  return new Response(stream, { headers });
}

/** Whether the client asked for the answer as server-sent events. */
export const wantsEventStream = (req: Request) => (req.headers.get("accept") ?? "").includes("text/event-stream");

/** CORS preflight: granted to allowed origins only, so other sites' scripts cannot post at all. */
export async function widgetPreflight(req: Request, { params }: KeyParams): Promise<Response> {
  const origin = req.headers.get("origin");
  try {
    const key = (await params).key;
    const { settings } = await resolveWidget(getDb(), key);
    const allowed = isOriginAllowed(settings, origin);
    // A refused preflight means the browser never sends the call itself, so this is the only place to say why.
    if (!allowed) logRefusedOrigin(origin, key);
    return new Response(null, { status: 204, headers: widgetCorsHeaders(origin, allowed) });
  } catch {
    return new Response(null, { status: 204 });
  }
}
