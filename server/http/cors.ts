/** Origins allowed to call the REST API from a browser; `*` in CORS_ALLOWED_ORIGINS allows any. */
export function corsHeaders(origin: string | null, allowed: string[]): Record<string, string> {
  if (!origin) return {};
  if (!allowed.includes("*") && !allowed.includes(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, X-Tenant-ID, Idempotency-Key",
    "Access-Control-Expose-Headers": "X-Request-ID, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After, X-Idempotent-Replay",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}
