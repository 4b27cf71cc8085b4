import { loadChat, type ChatContext, type ChatController } from "./chat-contract";
import { widgetClient } from "./client";
import { emitter } from "./emitter";
import { WidgetApiError } from "./envelope";
import { paintLauncher, type Launcher } from "./launcher";
import type { Identity, MessageEventDetail, SessionState, WidgetConfig, WidgetEventName } from "./types";
import { widgetStore } from "./widget-store";

/** Set (in the frame after the launcher is inserted) so a page or a benchmark can time the launcher's paint. */
export const PAINT_MARK = "chatbot-widget:launcher-painted";

type Events = { ready: { key: string }; open: { key: string }; close: { key: string }; message: MessageEventDetail };
type Listener = (detail: never) => void;

export type WidgetHandle = {
  key: string;
  open(): void;
  close(): void;
  toggle(): void;
  /** Starts a new conversation: the next message is not added to the last one. */
  reset(): void;
  identify(identity: Identity): void;
  on(event: WidgetEventName, fn: Listener): void;
  off(event: WidgetEventName, fn: Listener): void;
};

/** `config`, when the server put it in the loader, saves the config round trip before the launcher paints. */
type WidgetOptions = { key: string; base: string; chatUrl: string; doc: Document; config?: WidgetConfig };

/** One embedded widget: config → launcher → visitor session; the chat bundle only when the visitor opens it. */
export function createWidget({ key, base, chatUrl, doc, config: inlined }: WidgetOptions): WidgetHandle {
  const store = widgetStore(key, doc.defaultView!);
  const events = emitter<Events>();
  const sessionListeners = new Set<(state: SessionState) => void>();
  const client = widgetClient({ base, key, store, identity: () => identity, onSession: (state) => sessionListeners.forEach((l) => l(state)) });
  let identity: Identity = {};
  let launcher: Launcher | null = null;
  let chat: Promise<ChatController> | null = null;
  let chatContext: ChatContext | null = null;
  let sessionStarted = false;
  let ready = false;
  let isOpen = false;
  let openWhenReady = false;

  async function start() {
    let config: WidgetConfig;
    try {
      config = inlined ?? (await client.config());
    } catch (error) {
      const origin = doc.location.origin;
      // A refusal without CORS headers reads like a network failure here, so that case names both causes.
      const why =
        error instanceof WidgetApiError
          ? error.status === 403
            ? `this site (${origin}) is not an allowed origin of widget ${key}`
            : `widget ${key} is not available (${error.message})`
          : `widget ${key}'s config could not be read from this site (${origin}): it is not an allowed origin, or the chat service is unreachable`;
      console.warn(`[chatbot-widget] No chat shown: ${why}.`);
      return;
    }
    launcher = paintLauncher(doc, key, config, toggle);
    requestAnimationFrame(() => performance.mark(PAINT_MARK, { detail: { key } }));
    const painted = launcher;
    const context: ChatContext = {
      key,
      base,
      config,
      frame: painted.frame,
      store,
      client,
      onSession(listener) {
        sessionListeners.add(listener);
        return () => sessionListeners.delete(listener);
      },
      close,
      emitMessage: (detail) => events.emit("message", { key, ...detail }),
    };
    chatContext = context;
    sessionStarted = true;
    // A session that cannot start now (network) is retried by the chat's first call.
    await client.openSession().catch((error: unknown) => console.warn("[chatbot-widget] could not start the visitor session", error));
    ready = true;
    events.emit("ready", { key });
    if (openWhenReady) open();
  }

  function open() {
    if (!ready || !launcher || !chatContext) {
      openWhenReady = true;
      return;
    }
    if (isOpen) return;
    isOpen = true;
    launcher.button.setAttribute("aria-expanded", "true");
    const context = chatContext;
    chat ??= loadChat(doc, chatUrl).then((mount) => mount(context));
    chat.then(
      (controller) => {
        if (!isOpen) return;
        controller.setOpen(true);
        events.emit("open", { key });
      },
      (error: unknown) => {
        chat = null;
        isOpen = false;
        launcher?.button.setAttribute("aria-expanded", "false");
        console.error("[chatbot-widget] could not load the chat", error);
      },
    );
  }

  function close() {
    openWhenReady = false;
    if (!isOpen || !launcher) return;
    isOpen = false;
    // Focus goes back to the launcher only if it was in the widget: an API call from the page keeps the page's focus.
    const focusWasInside = launcher.shadow.activeElement !== null;
    launcher.button.setAttribute("aria-expanded", "false");
    void chat?.then((controller) => controller.setOpen(false));
    if (focusWasInside) launcher.button.focus();
    events.emit("close", { key });
  }

  function toggle() {
    if (isOpen) close();
    else open();
  }

  void start();
  return {
    key,
    open,
    close,
    toggle,
    reset: () => store.update({ conversation: undefined, fresh: true }),
    identify(next) {
      identity = { ...next };
      if (sessionStarted) void client.openSession().catch((error: unknown) => console.warn("[chatbot-widget] identify failed", error));
    },
    on(event, fn) {
      events.on(event, fn as never);
      if (event === "ready" && ready) (fn as (d: Events["ready"]) => void)({ key });
    },
    off: (event, fn) => events.off(event, fn as never),
  };
}
