import type { WidgetConfig } from "./types";

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** Colours come from the tenant's config and go into a stylesheet, so only plain hex colours get in. */
export const hexOr = (value: string | undefined, fallback: string) => (value && HEX.test(value) ? value : fallback);

/**
 * The variables every widget style reads, set on the widget's own root element inside the shadow root
 * (not on the host element, where the page's CSS could override them).
 */
export function themeVariables(config: WidgetConfig): string {
  const side = config.position === "left" ? "left" : "right";
  return `--cbp-brand:${hexOr(config.brand_color, "#4f46e5")};--cbp-on-brand:${hexOr(config.text_color, "#ffffff")};--cbp-side-${side}:20px;`;
}

/**
 * `:host { all: initial }` stops the page's inherited styles at the shadow boundary; the rest is ours alone.
 * On a phone the open chat fills the screen, so the launcher steps aside (the header's close button stays).
 */
export const LAUNCHER_CSS = `:host{all:initial}
.w{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#16161d}
.w *{box-sizing:border-box}
.launcher{position:fixed;z-index:2147483000;bottom:20px;left:var(--cbp-side-left,auto);right:var(--cbp-side-right,auto);min-width:56px;height:56px;padding:0 16px;border:0;border-radius:28px;display:flex;gap:8px;align-items:center;justify-content:center;cursor:pointer;background:var(--cbp-brand);color:var(--cbp-on-brand);font:600 15px system-ui,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:focus-visible{outline:3px solid #16161d;outline-offset:2px}
.launcher svg{width:26px;height:26px;fill:currentColor;flex:none}
@media (max-width:480px){.launcher[aria-expanded=true]{display:none}}`;
