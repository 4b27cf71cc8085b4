import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ApiReference } from "@/app/docs/api/api-reference";
import { openApiDocument } from "@/server/http/openapi";

const doc = openApiDocument("https://chat.acme-outdoor.com");
const html = renderToStaticMarkup(createElement(ApiReference, { doc }));

/** What a reader sees: tags dropped, entities decoded, whitespace collapsed. */
function words(markup: string): string {
  const decoded = markup.replace(/<[^>]+>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&");
  return decoded.replace(/\s+/g, " ").trim();
}
function article(id: string): string {
  const match = html.match(new RegExp(`<article[^>]*id="${id}"[\\s\\S]*?</article>`));
  if (!match) throw new Error(`no section #${id}`);
  return words(match[0]);
}

describe("the API reference page (/docs/api)", () => {
  it("shows every operation of the document under its tag, with method, path, summary and operation id", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));
    expect(operations.length).toBeGreaterThanOrEqual(5);
    for (const { method, path, op } of operations) {
      const section = article(op.operationId);
      expect(section).toContain(`${method.toUpperCase()} ${path}`);
      expect(section).toContain(op.summary);
      expect(section).toContain(`Operation ID: ${op.operationId}`);
      for (const status of Object.keys(op.responses)) expect(section).toMatch(new RegExp(`Status Meaning Body .*\\b${status}\\b`));
      const tagSection = html.slice(html.indexOf(`id="tag-${op.tags[0]}"`));
      expect(tagSection.indexOf(`id="${op.operationId}"`), `${op.operationId} under ${op.tags[0]}`).toBeGreaterThan(0);
    }
  });

  it("spells out parameters, the request body's fields and the answers in words, not as JSON", () => {
    const send = article("sendMessage");
    expect(send).toContain("Request body (required)");
    expect(send).toContain("channel string · one of: web, whatsapp, slack, messenger required");
    expect(send).toContain("text string · 1 to 4000 characters required");
    expect(send).toContain('type: "location"');
    expect(send).toContain("429 RATE_LIMITED Headers: X-RateLimit-Limit");
    expect(send).toContain("Retry-After (Seconds to wait)");
    expect(send).toContain("Needs an API key: Authorization: Bearer <key>.");
    expect(article("getConversationHistory")).toContain("page_size query integer · from 1 to 100 · default 20 no");
    expect(article("getConversationHistory")).toContain("page query integer · at least 1 · default 1 no");
    expect(article("getHealth")).toContain("No authentication.");
    for (const name of Object.keys(doc.components.schemas)) expect(article(`schema-${name}`)).toMatch(new RegExp(`^${name} `));
    expect(words(html)).toContain("Base URL: https://chat.acme-outdoor.com");
    expect(html).not.toMatch(/"\$ref"|"properties"|"additionalProperties"/);
  });
});
