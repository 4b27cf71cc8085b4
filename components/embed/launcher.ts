import { LAUNCHER_CSS, themeVariables } from "./theme";
import type { WidgetConfig } from "./types";

const SVG = "http://www.w3.org/2000/svg";
const ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z";

export type Launcher = { host: HTMLElement; shadow: ShadowRoot; frame: HTMLElement; button: HTMLButtonElement };

/**
 * The widget's own corner of the page: one host element per widget key with an OPEN shadow root (the page's
 * test tooling reaches the test ids; its CSS does not reach in), holding the launcher button.
 */
export function paintLauncher(doc: Document, key: string, config: WidgetConfig, onClick: () => void): Launcher {
  const host = doc.createElement("div");
  host.setAttribute("data-chatbot-widget", key);
  const shadow = host.attachShadow({ mode: "open" });
  const style = doc.createElement("style");
  style.textContent = LAUNCHER_CSS;
  const frame = doc.createElement("div");
  frame.className = "w";
  frame.setAttribute("style", themeVariables(config));
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "launcher";
  button.setAttribute("data-testid", "chat-launcher");
  // The accessible name starts with the visible words (WCAG 2.5.3), and always names the chat.
  button.setAttribute("aria-label", config.launcher_text ? `${config.launcher_text}: ${config.title}` : config.title);
  button.setAttribute("aria-expanded", "false");
  const icon = doc.createElementNS(SVG, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  const path = doc.createElementNS(SVG, "path");
  path.setAttribute("d", ICON);
  icon.appendChild(path);
  button.appendChild(icon);
  if (config.launcher_text) {
    const text = doc.createElement("span");
    text.textContent = config.launcher_text;
    button.appendChild(text);
  }
  button.addEventListener("click", onClick);
  frame.appendChild(button);
  shadow.append(style, frame);
  doc.body.appendChild(host);
  return { host, shadow, frame, button };
}
