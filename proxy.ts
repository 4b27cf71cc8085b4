import { NextResponse, type NextRequest } from "next/server";
import { FRAME_OPTIONS, HSTS } from "@/server/security/frame-policy.mjs";
import { newNonce, pageCsp, servedOverHttps } from "@/server/security/page-policy";

/** Pages get a fresh CSP nonce per request; API answers and static files get their headers from next.config.mjs. */
export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const https = servedOverHttps(request.headers, process.env.APP_URL);
  const csp = pageCsp({ nonce, https, dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Frame-Options", FRAME_OPTIONS);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Every page, prefetches included (they render HTML too); not APIs, Next's static files or public files.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|widget.js|widget-chat\\.).*)"],
};
