/**
 * The widget loader (.widget/widget.js, served at /widget.js), built by scripts/build-widget.mjs. Embed:
 * <script src="https://YOUR-APP/widget.js" data-key="PUBLIC_KEY" async></script>
 * It paints the launcher from the widget's config and starts the visitor session; the chat itself
 * (public/widget-chat.<hash>.js) is loaded only when the visitor opens it. The server (app/widget.js) wraps
 * this file in a function whose argument holds the configs of the widgets that name the page's origin, so
 * those paint without a round trip; any other widget fetches its config.
 */
import { globalApi } from "./global-api";
import type { WidgetConfig } from "./types";
import { createWidget } from "./widget-instance";

/** The chat bundle's file name, next to this script; filled in by the build. */
declare const __CHAT_FILE__: string;
/** The wrapper's argument (server/channels/widget-loader.ts); undeclared when the file is served as built. */
declare const __CHATBOT_CONFIGS__: Record<string, WidgetConfig> | undefined;

/** This script's tag; for a copy inserted without currentScript (some tag managers), the first not yet started. */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-key][src*="widget.js"]:not([data-chatbot-started])');
}

function boot() {
  const script = ownScript();
  if (!script) return;
  script.setAttribute("data-chatbot-started", "");
  const key = script.dataset.key;
  if (!key) {
    console.warn("[chatbot-widget] No chat shown: the script tag has no data-key.");
    return;
  }
  const api = globalApi(window);
  // The same snippet pasted twice is one widget.
  if (api.has(key)) return;
  const src = new URL(script.src, document.baseURI);
  const configs = typeof __CHATBOT_CONFIGS__ === "object" && __CHATBOT_CONFIGS__ !== null ? __CHATBOT_CONFIGS__ : {};
  const inlined = Object.prototype.hasOwnProperty.call(configs, key) ? configs[key] : undefined;
  const start = () => api.add(createWidget({ key, base: src.origin, chatUrl: new URL(__CHAT_FILE__, src).href, doc: document, config: inlined }));
  // A synchronous snippet in <head> runs before <body> exists.
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
}

boot();
