import { describe, expect, it } from "vitest";
import { DIRECT_ROUTES, directRoute, registerDirectRoutes } from "@/server/http/direct-routes";

describe("the routes the production worker answers itself", () => {
  it("takes exactly the messaging webhooks, GET and POST, and leaves every other request to Next", () => {
    expect(directRoute("POST", "/api/webhooks/whatsapp/ch_abc")).toBeTypeOf("function");
    expect(directRoute("GET", "/api/webhooks/slack/ch_abc")).toBeTypeOf("function");
    for (const [method, path] of [
      ["OPTIONS", "/api/webhooks/whatsapp/ch_abc"],
      ["PUT", "/api/webhooks/whatsapp/ch_abc"],
      ["POST", "/api/webhooks/whatsapp/ch_abc/"],
      ["POST", "/api/webhooks/whatsapp"],
      ["POST", "/api/webhooks/whatsapp/ch_abc/extra"],
      ["POST", "/api/v2/chat/message"],
      // A malformed escape is Next's to answer, as it would be without this path.
      ["POST", "/api/webhooks/whatsapp/%E0%A4%A"],
    ]) {
      expect(directRoute(method!, path!), `${method} ${path}`).toBeNull();
    }
  });

  it("answers through the webhook handler: an unknown channel type or key is the API's 404", async () => {
    const handler = directRoute("POST", "/api/webhooks/fax/ch_abc")!;
    const res = await handler(new Request("http://127.0.0.1/api/webhooks/fax/ch_abc", { method: "POST", body: "{}" }));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("NOT_FOUND");
  });

  it("is found by the worker under its global symbol once registered", () => {
    registerDirectRoutes();
    expect((globalThis as Record<symbol, unknown>)[DIRECT_ROUTES]).toBe(directRoute);
    expect(DIRECT_ROUTES).toBe(Symbol.for("chatbot-platform.direct-routes"));
  });
});
