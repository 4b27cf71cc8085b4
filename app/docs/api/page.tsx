import type { Metadata } from "next";
import { env } from "@/server/env";
import { openApiDocument } from "@/server/http/openapi";
import { ApiReference } from "./api-reference";

export const metadata: Metadata = { title: "API reference" };

/** The same document /api/v2/openapi.json serves, rendered here: no third-party viewer, nothing loaded from elsewhere. */
export default function ApiDocsPage() {
  return <ApiReference doc={openApiDocument(env().APP_URL)} />;
}
