import type { IntegrationCaller } from "../flows/engine";
import { lookupOrder, searchCatalog } from "./catalog";

/** Serves the demo flow's integrations in-process, for seeding history while no server is running. */
export function createDemoIntegrations(): IntegrationCaller {
  return {
    async call(req) {
      const url = new URL(req.endpoint);
      const params = { ...Object.fromEntries(url.searchParams), ...((req.body as Record<string, unknown>) ?? {}) };
      if (url.pathname.endsWith("/catalog/search")) return { ok: true, status: 200, data: searchCatalog(params) };
      const order = url.pathname.match(/\/orders\/([^/]+)$/);
      if (order) {
        const found = lookupOrder(decodeURIComponent(order[1]!));
        return found ? { ok: true, status: 200, data: found } : { ok: false, error: "HTTP 404" };
      }
      return { ok: false, error: "HTTP 404" };
    },
  };
}
