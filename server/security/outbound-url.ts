import type { z } from "zod";
import { env } from "../env";
import { checkDestination } from "./ssrf-guard";

/**
 * A zod refinement for tenant-supplied URLs our servers will call with the tenant's credentials
 * (model base URLs, channel API base URLs): one the SSRF guard would refuse is refused when saved,
 * unless the operator allowed that host:port (OUTBOUND_ALLOWED_HOSTS).
 */
export function reachableUrl(url: string, ctx: z.RefinementCtx): void {
  if (!URL.canParse(url)) return; // the url check before this one already says so
  const verdict = checkDestination(url, env().OUTBOUND_ALLOWED_HOSTS);
  if (!verdict.allowed) ctx.addIssue({ code: "custom", message: `Our servers will not call this URL: ${verdict.reason}.` });
}
