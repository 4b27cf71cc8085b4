import { z } from "zod";
import { inboundMessageSchema } from "../pipeline/message-schema";
import { errorEnvelopeSchema } from "./envelope";
import { historyQuerySchema, searchQuerySchema } from "./query-schemas";

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

function queryParameters(schema: z.ZodObject) {
  const shape = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, s]) => ({ name, in: "query", required: shape.required?.includes(name) ?? false, schema: s }));
}

const errors = {
  "400": { description: "VALIDATION_ERROR with per-field details", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "401": { description: "UNAUTHORIZED: missing or invalid API key", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "403": { description: "FORBIDDEN: X-Tenant-ID does not match the key", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "404": { description: "NOT_FOUND", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
  "429": { description: "RATE_LIMITED; see Retry-After", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const tenantHeader = { name: "X-Tenant-ID", in: "header", required: false, schema: { type: "string", format: "uuid" } };

/** Built from the same zod schemas the routes validate with, so the document cannot drift. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: "3.1.0",
    info: { title: "Chatbot Platform API", version: "2.0.0", description: "Responses use { status, data, meta } or { status: 'error', error: { code, message, details }, meta }." },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: { InboundMessage: jsonSchema(inboundMessageSchema), Error: jsonSchema(errorEnvelopeSchema) },
    },
    security: [{ bearer: [] }],
    paths: {
      "/api/v2/chat/message": {
        post: {
          summary: "Send an end-user message through the tenant's published flow",
          parameters: [tenantHeader],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/InboundMessage" } } } },
          responses: {
            "200": { description: "The bot's answer and the conversation state; a redelivered message_id gets the first answer with X-Idempotent-Replay: true" },
            ...errors,
            "409": { description: "CONFLICT: the message_id was already used by a different end user", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
      },
      "/api/v2/chat/conversations/{id}": { get: { summary: "A conversation with its recent messages and summary", parameters: [idParam, tenantHeader], responses: { "200": { description: "Conversation" }, ...errors } } },
      "/api/v2/chat/conversations/{id}/history": {
        get: { summary: "Paged message history", parameters: [idParam, tenantHeader, ...queryParameters(historyQuerySchema)], responses: { "200": { description: "A page of messages" }, ...errors } },
      },
      "/api/v2/chat/messages/search": {
        get: { summary: "Full-text search over the tenant's messages", parameters: [tenantHeader, ...queryParameters(searchQuerySchema)], responses: { "200": { description: "Matching messages" }, ...errors } },
      },
      "/api/v2/health": { get: { summary: "Database and cache health", security: [], responses: { "200": { description: "healthy" }, "503": { description: "degraded" } } } },
    },
  };
}
