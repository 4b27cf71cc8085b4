// Plain JS so next.config.mjs (for everything Next serves) and scripts/next-worker.mjs (for the routes it serves
// itself, server/http/direct-routes.ts) send the same headers.
import { API_CSP, FRAME_OPTIONS, HSTS } from "./frame-policy.mjs";

/** On every answer. */
export const COMMON_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: FRAME_OPTIONS },
];

/** On every /api answer; pages get their nonce-bearing policy from proxy.ts. */
export const API_HEADERS = [{ key: "Content-Security-Policy", value: API_CSP }];

/** Only when the request reached us over https (x-forwarded-proto from the proxy in front). */
export const HTTPS_HEADERS = [{ key: "Strict-Transport-Security", value: HSTS }];
