/**
 * Whether a state-changing request was sent by another site's page (CSRF). Browsers send Origin on
 * every POST and Sec-Fetch-Site on every request; a request with neither comes from a non-browser
 * client, which cannot ride a user's cookies. Our own origins are APP_URL's and the one the request
 * was addressed to (Host), so a deployment reached under another name still works for itself.
 */
export function isCrossSiteRequest(headers: Headers, appUrl: string): boolean {
  if (headers.get("sec-fetch-site") === "cross-site") return true;
  const origin = headers.get("origin");
  if (origin === null) return false;
  if (origin === new URL(appUrl).origin) return false;
  const host = headers.get("host");
  return !(host && URL.canParse(origin) && new URL(origin).host === host);
}
