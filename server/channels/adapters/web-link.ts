/** Only web links become links or buttons on a platform: a `javascript:` or `data:` URL in a tenant's carousel never does. */
export function webLink(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** `text` cut to `max` characters (an ellipsis marks the cut), for platforms that refuse longer fields. */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
