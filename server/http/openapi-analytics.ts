import { z } from "zod";
import { analyticsSummarySchema, MAX_RANGE_DAYS } from "../analytics/summary-schema";
import { successEnvelopeSchema } from "./envelope";
import type { ApiOperation, JsonSchema } from "./openapi-types";

/*
 * The analytics part of the OpenAPI document, merged into server/http/openapi.ts (whose components hold the "Error" envelope referred to here). The response schema comes
 * from the zod schema the summary is typed by, so the document cannot drift from the route.
 */

const ref = (name: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${name}` } } });
const day = (name: "from" | "to", description: string) => ({ name, in: "query", required: true, description, schema: { type: "string", format: "date" } });

export const analyticsTag = { name: "Analytics", description: "Figures of the tenant's conversations over a range of days, counted in the tenant's time zone." };

export const analyticsSchemas: Record<string, JsonSchema> = {
  AnalyticsSummary: z.toJSONSchema(successEnvelopeSchema(analyticsSummarySchema), { io: "output", unrepresentable: "any" }),
};

const summary: ApiOperation = {
  operationId: "getAnalyticsSummary",
  tags: ["Analytics"],
  summary: "Conversations, messages, containment, handoffs, intents, latency and funnel for a range of days",
  description: `Days are local dates in the tenant's time zone; both ends are included, at most ${MAX_RANGE_DAYS} days. Conversations of the dashboard's test widget are left out. Rates are 0-1 (0 when there is nothing to divide by); percentiles are nearest-rank and null when there are no values.`,
  parameters: [
    day("from", "First day, YYYY-MM-DD"),
    day("to", "Last day (included), YYYY-MM-DD, on or after `from`"),
    { name: "X-Tenant-ID", in: "header", required: false, schema: { type: "string", format: "uuid" } },
  ],
  responses: {
    "200": { description: "The figures", headers: { "X-Request-ID": { schema: { type: "string" } } }, content: ref("AnalyticsSummary") },
    "400": { description: "VALIDATION_ERROR: `from`/`to` missing, not a date, reversed, or more than the allowed span (details.fields names which)", content: ref("Error") },
    "401": { description: "UNAUTHORIZED: missing or invalid API key", content: ref("Error") },
    "403": { description: "FORBIDDEN: X-Tenant-ID does not match the key", content: ref("Error") },
    "429": { description: "RATE_LIMITED", content: ref("Error") },
    "500": { description: "INTERNAL_ERROR: a generic message with details.request_id", content: ref("Error") },
    "503": { description: "SERVICE_UNAVAILABLE: the database cannot be reached right now", content: ref("Error") },
  },
};

export const analyticsPaths: Record<string, Record<string, ApiOperation>> = { "/api/v2/analytics/summary": { get: summary } };

