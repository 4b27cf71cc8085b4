/**
 * The parts of an OpenAPI 3.1 document this product writes (server/http/openapi.ts) and renders
 * (app/docs/api). Schemas stay open records: they come from zod's JSON Schema output.
 */
export type JsonSchema = Record<string, unknown>;

export type ApiParameter = { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema };
export type ApiHeader = { description?: string; schema?: JsonSchema };
export type ApiMedia = Record<string, { schema: JsonSchema }>;
export type ApiResponse = { description: string; headers?: Record<string, ApiHeader>; content?: ApiMedia };

export type ApiOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  /** Absent: the document's default security applies; empty: no credentials needed. */
  security?: Record<string, string[]>[];
  parameters?: ApiParameter[];
  requestBody?: { required?: boolean; description?: string; content: ApiMedia };
  responses: Record<string, ApiResponse>;
};

export type ApiDocument = {
  openapi: string;
  info: { title: string; version: string; description?: string; license?: { name: string; identifier?: string; url?: string } };
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  components: { securitySchemes: Record<string, { type: string; scheme?: string }>; schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, ApiOperation>>;
};
