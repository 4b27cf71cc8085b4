/**
 * The widget loader (public/widget.js), built by scripts/build-widget.mjs. Embed:
 * <script src="https://YOUR-APP/widget.js" data-key="PUBLIC_KEY" async></script>
 * It paints the launcher from the widget's config and starts the visitor session; the chat itself
 * (public/widget-chat.<hash>.js) is loaded only when the visitor opens it.
 */
import { globalApi } from "./global-api";
import { createWidget } from "./widget-instance";

/** The chat bundle's file name, next to this script; filled in by the build. */
declare const __CHAT_FILE__: string;

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
  const start = () => api.add(createWidget({ key, base: src.origin, chatUrl: new URL(__CHAT_FILE__, src).href, doc: document }));
  // A synchronous snippet in <head> runs before <body> exists.
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
}

boot();
