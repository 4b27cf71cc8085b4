import { z } from "zod";
import { inboundMessageSchema, MAX_METADATA_BYTES } from "../pipeline/message-schema";
import { conversationSchema, historyPageSchema, searchResultsSchema } from "../pipeline/conversation-views";
import { chatResultSchema } from "../pipeline/pipeline-result";
import { errorEnvelopeSchema, successEnvelopeSchema } from "./envelope";
import { healthSchema } from "./health-schema";
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_JSON_ITEMS } from "./json-body";
import { analyticsPaths, analyticsSchemas, analyticsTag } from "./openapi-analytics";
import { handoffPaths, handoffSchemas } from "./openapi-handoff";
import type { ApiDocument, ApiParameter, JsonSchema } from "./openapi-types";
import { historyQuerySchema, searchQuerySchema } from "./query-schemas";

const jsonSchema = (schema: z.ZodType, io: "input" | "output" = "input") => z.toJSONSchema(schema, { io, unrepresentable: "any" });

function queryParameters(schema: z.ZodObject): ApiParameter[] {
  const shape = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: shape.required?.includes(name) ?? false, schema: s }));
}

const ref = (name: string) => ({ "application/json": { schema: { $ref: `#/components/schemas/${name}` } } });
const limitHeaders = {
  "X-RateLimit-Limit": { description: "Requests allowed in the window (absent when the plan has no cap)", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Requests left in the window", schema: { type: "integer" } },
};
const success = (description: string, schema: string) => ({ description, headers: { ...limitHeaders, "X-Request-ID": { schema: { type: "string" } } }, content: ref(schema) });

const retryAfter = { description: "Seconds to wait", schema: { type: "integer" } };
const errors = {
  "400": { description: "VALIDATION_ERROR with per-field details (also text with NUL characters or unpaired surrogates)", content: ref("Error") },
  "401": { description: "UNAUTHORIZED: missing or invalid API key", content: ref("Error") },
  "403": { description: "FORBIDDEN: X-Tenant-ID does not match the key", content: ref("Error") },
  "404": { description: "NOT_FOUND", content: ref("Error") },
  "429": { description: "RATE_LIMITED", headers: { ...limitHeaders, "Retry-After": retryAfter }, content: ref("Error") },
  "500": { description: "INTERNAL_ERROR: a generic message with details.request_id (the id in the server log), never the cause", content: ref("Error") },
  "503": { description: "SERVICE_UNAVAILABLE: the database cannot be reached right now; retry after Retry-After", headers: { "Retry-After": retryAfter }, content: ref("Error") },
};
// Node's HTTP server answers these itself, before any route runs; the health check has no other 4xx.
const beforeRoute = { "4XX": { description: "400 for a malformed HTTP request, 431 when its headers are too large (no JSON body)" } };
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const tenantHeader = { name: "X-Tenant-ID", in: "header", required: false, schema: { type: "string", format: "uuid" } };
const parts = { jsonSchema, ref, success, errors, idParam, tenantHeader };

/** Built from the same zod schemas the routes validate their input with and type their answers by, so the document cannot drift. */
export function openApiDocument(appUrl: string): ApiDocument {
  return {
    openapi: "3.1.0",
    info: {
      title: "Chatbot Platform API",
      version: "2.0.0",
      description: "Responses use `{ status, data, meta }` or `{ status: 'error', error: { code, message, details }, meta }`.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    // This deployment's own address (APP_URL), so generated clients and the rendered docs point at it; no trailing slash.
    servers: [{ url: appUrl.replace(/\/+$/, ""), description: "This deployment" }],
    tags: [
      { name: "Chat", description: "Send an end user's message through the published flow and get the bot's answer." },
      { name: "Conversations", description: "Read conversations, their history and search messages." },
      analyticsTag,
      { name: "Health", description: "Whether the database and cache answer; no API key needed." },
    ],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        InboundMessage: jsonSchema(inboundMessageSchema),
        ChatResult: jsonSchema(successEnvelopeSchema(chatResultSchema), "output"),
        Conversation: jsonSchema(successEnvelopeSchema(conversationSchema), "output"),
        HistoryPage: jsonSchema(successEnvelopeSchema(historyPageSchema), "output"),
        SearchResults: jsonSchema(successEnvelopeSchema(searchResultsSchema), "output"),
        Health: jsonSchema(healthSchema, "output"),
        Error: jsonSchema(errorEnvelopeSchema, "output"),
        ...handoffSchemas(parts),
        ...analyticsSchemas,
      },
    },
    security: [{ bearer: [] }],
    paths: {
      "/api/v2/chat/message": {
        post: {
          operationId: "sendMessage",
          tags: ["Chat"],
          summary: "Send an end-user message through the tenant's published flow",
          parameters: [tenantHeader, { name: "Idempotency-Key", in: "header", required: false, description: "Used as message_id when the body has none", schema: { type: "string", maxLength: 200 } }],
          requestBody: {
            required: true,
            description: `At most ${MAX_BODY_BYTES / 1024} KB; JSON nested at most ${MAX_JSON_DEPTH} levels with at most ${MAX_JSON_ITEMS} items per array or object; channel_metadata at most ${MAX_METADATA_BYTES / 1024} KB serialized. Continuing a conversation (conversation_id) requires the same user_id; another end user's conversation is a 404.`,
            content: ref("InboundMessage"),
          },
          responses: {
            "200": success("The bot's answer and the conversation state; a redelivered message_id gets the first answer with X-Idempotent-Replay: true", "ChatResult"),
            ...errors,
            "409": { description: "CONFLICT: the message_id was already used by a different end user", content: ref("Error") },
            "413": { description: `PAYLOAD_TOO_LARGE: the body is over ${MAX_BODY_BYTES / 1024} KB`, content: ref("Error") },
          },
        },
      },
      "/api/v2/chat/conversations/{id}": {
        get: {
          operationId: "getConversation",
          tags: ["Conversations"],
          summary: "A conversation with its recent messages and summary",
          parameters: [idParam, tenantHeader],
          responses: { "200": success("Conversation", "Conversation"), ...errors },
        },
      },
      "/api/v2/chat/conversations/{id}/history": {
        get: {
          operationId: "getConversationHistory",
          tags: ["Conversations"],
          summary: "Paged message history",
          parameters: [idParam, tenantHeader, ...queryParameters(historyQuerySchema)],
          responses: { "200": success("A page of messages", "HistoryPage"), ...errors },
        },
      },
      "/api/v2/chat/messages/search": {
        get: {
          operationId: "searchMessages",
          tags: ["Conversations"],
          summary: "Full-text search over the tenant's messages",
          parameters: [tenantHeader, ...queryParameters(searchQuerySchema)],
          responses: { "200": success("Matching messages", "SearchResults"), ...errors },
        },
      },
      "/api/v2/health": {
        get: {
          operationId: "getHealth",
          tags: ["Health"],
          summary: "Database and cache health",
          security: [],
          responses: { "200": { description: "healthy", content: ref("Health") }, ...beforeRoute, "503": { description: "degraded", content: ref("Health") } },
        },
      },
      ...handoffPaths(parts),
      ...analyticsPaths,
    },
  };
}
