// A placeholder origin: only used to resolve a path and see whether it stays on it.
const PROBE_ORIGIN = "http://app.invalid";

// Browsers read "\" as "/" and drop tabs and line breaks from URLs, so "/\evil" or "/<tab>/evil" become
// "//evil": another origin. Checked on the value as given and once percent-decoded.
const UNSAFE = /[\\\u0000-\u001F\u007F]/;

function decodedOnce(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * Where to go after logging in: a same-origin relative path (normalized), or `fallback` for anything
 * else (absolute or protocol-relative URLs, backslashes, control characters, `javascript:`), so a
 * crafted login link cannot bounce a fresh session to another site.
 */
export function safeCallbackPath(raw: string | null | undefined, fallback = "/dashboard"): string {
  if (!raw) return fallback;
  const decoded = decodedOnce(raw);
  if (decoded === null) return fallback;
  for (const form of [raw, decoded]) {
    if (!form.startsWith("/") || form.startsWith("//") || UNSAFE.test(form)) return fallback;
  }
  const url = new URL(raw, PROBE_ORIGIN);
  if (url.origin !== PROBE_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * next-auth's redirect callback: it hands over absolute URLs on our own origin as well as relative
 * paths; both go through safeCallbackPath, anything else lands on the home page.
 */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  let candidate = url;
  if (URL.canParse(url)) {
    const absolute = new URL(url);
    if (absolute.origin !== origin) return `${origin}/`;
    candidate = `${absolute.pathname}${absolute.search}${absolute.hash}`;
  }
  return `${origin}${safeCallbackPath(candidate, "/")}`;
}
