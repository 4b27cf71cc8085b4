import type { Page } from "@playwright/test";

/** Creates a flow through the same tRPC call the flows page makes (the page must be signed in); returns the editor's address. */
export async function createFlow(page: Page, name: string, definition: unknown): Promise<string> {
  const id = await page.evaluate(
    async ({ name, definition }) => {
      const res = await fetch("/api/trpc/flows.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { name, definition } }),
      });
      const body = (await res.json()) as { result?: { data: { json: { id: string } } }; error?: unknown };
      if (!body.result) throw new Error(`flows.create failed: ${JSON.stringify(body.error)}`);
      return body.result.data.json.id;
    },
    { name, definition },
  );
  return `/dashboard/flows/${id}`;
}
