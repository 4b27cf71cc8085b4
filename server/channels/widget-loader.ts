import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/db/client";
import { findWebChannelsNamingOrigin } from "./channel-service";
import { webSettingsSchema } from "./channel-settings";
import { widgetConfigSchema, type WidgetConfig } from "./web-widget";

/** Built by scripts/build-widget.mjs (its LOADER_DIR). */
const LOADER_FILE = path.join(process.cwd(), ".widget", "widget.js");
/** More widgets than a page embeds; the rest of a longer list fetch their own config. */
const MAX_INLINED = 5;

/**
 * The loader wrapped in a function whose argument is `configs` (components/embed/loader.ts reads it as
 * __CHATBOT_CONFIGS__): a widget listed there paints its launcher as the script runs, without first asking
 * for its config. The argument, not a global, so nothing on the host page can stand in for it.
 */
export function wrapLoader(code: string, configs: Record<string, WidgetConfig>): string {
  return `(function(__CHATBOT_CONFIGS__){${code}\n})(${JSON.stringify(configs)});\n`;
}

/**
 * The page's origin as a browser states it when it loads our script from another site: the Referer, which
 * the default referrer policy cuts to the origin. Null when the page sends none (referrer policy
 * no-referrer) or it is not a web page's address.
 */
export function refererOrigin(referer: string | null): string | null {
  if (!referer || referer.length > 2048) return null;
  try {
    const url = new URL(referer);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** The configs of the enabled widgets that allow `origin` by name, by public key. */
export async function widgetConfigsForOrigin(db: Db, origin: string): Promise<Record<string, WidgetConfig>> {
  const rows = await findWebChannelsNamingOrigin(db, origin, MAX_INLINED);
  const configs: Record<string, WidgetConfig> = {};
  for (const row of rows) configs[row.publicKey] = widgetConfigSchema.parse(webSettingsSchema.parse(row.settings));
  return configs;
}

let cached: string | null = null;
/** Read once in production; in development on every request, so a rebuilt widget is served at once. */
function loaderCode(): string {
  if (cached !== null) return cached;
  const code = readFileSync(LOADER_FILE, "utf8");
  if (process.env.NODE_ENV === "production") cached = code;
  return code;
}

const SCRIPT_HEADERS = {
  "Content-Type": "text/javascript; charset=utf-8",
  // Revalidated on every page load (as a public file is), since the body carries live configs; unchanged, it is a 304.
  "Cache-Control": "public, max-age=0, must-revalidate",
  // The body depends on the page that asks: a shared cache must not give one site's answer to another.
  Vary: "Referer",
};

/**
 * GET /widget.js. The configs come from the database only to save the page a round trip: if it cannot be
 * read, the plain loader is served and each widget asks for its config itself, which then reports the outage.
 * `readCode` is the built loader's text (a test passes its own).
 */
export async function widgetLoaderResponse(db: Db, req: Request, readCode: () => string = loaderCode): Promise<Response> {
  let code: string;
  try {
    code = readCode();
  } catch (error) {
    console.error(`[widget] ${LOADER_FILE} is missing: run \`node scripts/build-widget.mjs\` (npm run build does)`, error);
    return new Response('console.error("[chatbot-widget] The chat is not available: the server has no widget build.");\n', { status: 503, headers: { ...SCRIPT_HEADERS, "Cache-Control": "no-store" } });
  }
  const origin = refererOrigin(req.headers.get("referer"));
  let configs: Record<string, WidgetConfig> = {};
  if (origin) {
    try {
      configs = await widgetConfigsForOrigin(db, origin);
    } catch (error) {
      console.warn(`[widget] serving the loader without configs for ${origin}: ${(error as Error).message}`);
    }
  }
  const body = wrapLoader(code, configs);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = { ...SCRIPT_HEADERS, ETag: etag };
  const cachedTags = (req.headers.get("if-none-match") ?? "").split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (cachedTags.includes(etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
