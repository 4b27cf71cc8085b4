// Plain JS so next.config.mjs (API and static headers) and proxy.ts (pages) share the same values.

/** Nothing of the app may be framed by another site. */
export const FRAME_OPTIONS = "DENY";

/** Sent only over https (browsers ignore it on plain http anyway). */
export const HSTS = "max-age=63072000; includeSubDomains";

/** JSON and other non-page answers: nothing to run, nothing to frame. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
