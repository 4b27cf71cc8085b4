/** @jsxImportSource preact */
/**
 * The chat bundle (public/widget-chat.<hash>.js), loaded by the loader when the visitor first opens the chat.
 * It registers its mount function under its own URL (see chat-contract.ts).
 */
import { render } from "preact";
import type { ChatContext, ChatController, ChatRegistry } from "../chat-contract";
import { ChatPanel } from "./chat-panel";
import { chatSession, type ChatView } from "./chat-session";
import { PANEL_CSS } from "./styles";

function mountChat(ctx: ChatContext): ChatController {
  const doc = ctx.frame.ownerDocument;
  const style = doc.createElement("style");
  style.textContent = PANEL_CSS;
  const container = doc.createElement("div");
  ctx.frame.append(style, container);
  let open = false;
  const draw = () => render(<ChatPanel ctx={ctx} view={view} actions={session} open={open} />, container);
  const session = chatSession(ctx, (next) => {
    view = next;
    draw();
  });
  let view: ChatView = session.current();
  draw();
  void session.load();
  return {
    setOpen(next) {
      open = next;
      draw();
    },
  };
}

const script = document.currentScript as HTMLScriptElement | null;
if (script) {
  const registry = window as unknown as ChatRegistry;
  (registry.__cbpChat ??= {})[script.src] = mountChat;
}
