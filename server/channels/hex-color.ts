/** What the brand colour field accepts: #rgb or #rrggbb. Pure, so the dashboard checks it as you type with the same rule. */
export const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}){1,2}$/;
export const HEX_COLOR_MESSAGE = "Brand colour must be a hex colour like #4f46e5 or #fff";
export const TEXT_COLOR_MESSAGE = "Text colour must be a hex colour like #ffffff or #fff";

/** The browser's colour picker only takes #rrggbb, so a short colour is widened for it. */
export function toSixDigitHex(color: string): string {
  const hex = color.length === 4 ? `#${[...color.slice(1)].map((c) => c + c).join("")}` : color;
  return hex.toLowerCase();
}
