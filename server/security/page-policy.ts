/**
 * Response headers for the app's own pages and APIs. Pages get a per-request script nonce (Next applies
 * it to its own scripts when it finds it in the request's Content-Security-Policy); nothing of the app may
 * be framed by another site, so a logged-in dashboard cannot be overlaid for clickjacking.
 */
export type PolicyContext = { nonce: string; https: boolean; dev: boolean };

export function pageCsp({ nonce, https, dev }: PolicyContext): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonced bootstrap load Next's chunks; React needs eval only in development.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React `style={...}` props become style attributes, which nonces cannot cover; they cannot run script.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Behind a TLS-terminating proxy the original scheme arrives as X-Forwarded-Proto. */
export function servedOverHttps(headers: Headers, appUrl: string | undefined): boolean {
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" || (appUrl ?? "").startsWith("https:");
}

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
