import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { GET as openApiRoute } from "@/app/api/v2/openapi.json/route";
import { env } from "@/server/env";
import { openApiDocument } from "@/server/http/openapi";

/** Redocly's linter in-process (@redocly/openapi-core), never the CLI, which reports telemetry and checks for updates. */
async function lint(doc: unknown): Promise<string[]> {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: "openapi.json", config });
  return problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
}

describe("the public API's OpenAPI document", () => {
  it("is linted for real: the recommended rules flag what the document used to lack", async () => {
    const doc = structuredClone(openApiDocument("http://localhost:3000"));
    delete doc.info.license;
    for (const op of Object.values(doc.paths["/api/v2/health"]!)) {
      delete (op as { operationId?: string }).operationId;
      delete op.responses["4XX"];
    }
    const problems = await lint(doc);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warn info-license /),
        expect.stringMatching(/^warn no-server-example\.com /),
        expect.stringMatching(/^warn operation-operationId at #\/paths\/~1api~1v2~1health\/get/),
        expect.stringMatching(/^warn operation-4xx-response at #\/paths\/~1api~1v2~1health\/get/),
      ]),
    );
  });

  it("passes Redocly's recommended ruleset with zero problems for a deployment's APP_URL", async () => {
    // A trailing slash in APP_URL is a lint error (no-server-trailing-slash) unless the document drops it.
    expect(await lint(openApiDocument("https://chat.acme-outdoor.com/"))).toEqual([]);
  });

  it("names this deployment as the server, from APP_URL", async () => {
    const doc = await (await openApiRoute()).json();
    expect(doc.servers).toEqual([{ url: env().APP_URL.replace(/\/+$/, ""), description: "This deployment" }]);
    expect(openApiDocument("https://chat.acme-outdoor.com/").servers[0]!.url).toBe("https://chat.acme-outdoor.com");
  });
});
