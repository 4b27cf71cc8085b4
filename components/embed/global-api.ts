import type { WidgetHandle } from "./widget-instance";

/** `[method, ...args]` acts on every widget of the page; `{ key, call }` on the widget with that key only. */
export type QueuedCall = [string, ...unknown[]] | { key: string; call: [string, ...unknown[]] };

type Method = "open" | "close" | "toggle" | "reset" | "identify" | "on" | "off";
const METHODS: readonly Method[] = ["open", "close", "toggle", "reset", "identify", "on", "off"];

export type ChatbotWidgetApi = { [M in Method]: (...args: never[]) => void } & {
  /** Calls made before the script loaded (`window.ChatbotWidget = window.ChatbotWidget || { q: [] }`), replayed per widget. */
  q: QueuedCall[];
  get(key: string): WidgetHandle | undefined;
  add(widget: WidgetHandle): void;
  has(key: string): boolean;
};

function apply(widget: WidgetHandle, [method, ...args]: [string, ...unknown[]]) {
  if (!(METHODS as readonly string[]).includes(method)) {
    console.warn(`[chatbot-widget] unknown method ${method}`);
    return;
  }
  (widget[method as Method] as (...a: unknown[]) => void)(...args);
}

function targets(entry: QueuedCall, widget: WidgetHandle): [string, ...unknown[]] | null {
  if (Array.isArray(entry)) return entry;
  return entry && entry.key === widget.key && Array.isArray(entry.call) ? entry.call : null;
}

/**
 * `window.ChatbotWidget`, shared by every widget script on the page (each snippet runs the loader once).
 * With one widget its methods act on it; with several they act on all, and `get(key)` is one widget's handle.
 */
export function globalApi(win: Window): ChatbotWidgetApi {
  const slot = win as unknown as { ChatbotWidget?: Partial<ChatbotWidgetApi> };
  const existing = slot.ChatbotWidget;
  if (existing && typeof existing.add === "function") return existing as ChatbotWidgetApi;

  const queue: QueuedCall[] = Array.isArray(existing?.q) ? existing.q : [];
  const widgets = new Map<string, WidgetHandle>();
  // Listeners added through the page-wide API also hear widgets whose script loads later.
  const listeners: [string, unknown][] = [];
  const each = (method: Method) => (...args: unknown[]) => widgets.forEach((widget) => apply(widget, [method, ...args]));

  const api = {
    q: queue,
    open: each("open"),
    close: each("close"),
    toggle: each("toggle"),
    reset: each("reset"),
    identify: each("identify"),
    on(event: string, fn: unknown) {
      listeners.push([event, fn]);
      each("on")(event, fn);
    },
    off(event: string, fn: unknown) {
      const at = listeners.findIndex(([e, f]) => e === event && f === fn);
      if (at >= 0) listeners.splice(at, 1);
      each("off")(event, fn);
    },
    get: (key: string) => widgets.get(key),
    has: (key: string) => widgets.has(key),
    add(widget: WidgetHandle) {
      widgets.set(widget.key, widget);
      for (const [event, fn] of listeners) apply(widget, ["on", event, fn]);
      for (const entry of queue) {
        const call = targets(entry, widget);
        if (call) apply(widget, call);
      }
    },
  };
  // Calls pushed after load act at once, so the queue style keeps working whenever the page uses it.
  queue.push = (...entries: QueuedCall[]) => {
    for (const entry of entries) widgets.forEach((widget) => {
      const call = targets(entry, widget);
      if (call) apply(widget, call);
    });
    return Array.prototype.push.apply(queue, entries);
  };
  slot.ChatbotWidget = api as unknown as ChatbotWidgetApi;
  return slot.ChatbotWidget as ChatbotWidgetApi;
}
