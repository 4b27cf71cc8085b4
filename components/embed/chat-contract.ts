import type { WidgetClient } from "./client";
import type { MessageEventDetail, SessionState, WidgetConfig } from "./types";
import type { WidgetStore } from "./widget-store";

/** What the loader hands the chat bundle when the visitor first opens the chat. */
export type ChatContext = {
  key: string;
  /** The app's origin: relative upload URLs resolve against it. */
  base: string;
  config: WidgetConfig;
  /** The widget's root element inside its shadow root; the panel is rendered into it. */
  frame: HTMLElement;
  store: WidgetStore;
  client: WidgetClient;
  onSession(listener: (state: SessionState) => void): () => void;
  close(): void;
  emitMessage(detail: Omit<MessageEventDetail, "key">): void;
};

export type ChatController = { setOpen(open: boolean): void };
export type MountChat = (ctx: ChatContext) => ChatController;

/** Where the chat bundle registers itself: by its own URL, so two builds on one page never mix. */
export type ChatRegistry = { __cbpChat?: Record<string, MountChat>; __cbpChatLoads?: Record<string, Promise<MountChat>> };

/** Loads the chat bundle once per page (several widgets share it) as a classic script, which needs no CORS. */
export function loadChat(doc: Document, url: string): Promise<MountChat> {
  const registry = doc.defaultView as unknown as ChatRegistry;
  const loads = (registry.__cbpChatLoads ??= {});
  return (loads[url] ??= new Promise<MountChat>((resolve, reject) => {
    const script = doc.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () => {
      const mount = registry.__cbpChat?.[url];
      if (mount) resolve(mount);
      else reject(new Error(`${url} did not register the chat`));
    };
    script.onerror = () => {
      delete loads[url];
      reject(new Error(`could not load ${url}`));
    };
    doc.head.appendChild(script);
  }));
}
