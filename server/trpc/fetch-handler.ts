import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPCError } from "@trpc/server";
import { AppError } from "../errors/app-error";
import { checkJsonShape, readCappedText } from "../http/json-body";
import { createTrpcContext } from "./context";
import type { TrpcDeps } from "./init";
import { appRouter } from "./root";

/** Dashboard calls carry whole flow definitions (hundreds of states), so the caps are wider than chat's. */
export const TRPC_MAX_BODY_BYTES = 4 * 1024 * 1024;
const TRPC_JSON_LIMITS = { maxDepth: 64, maxItems: 20_000 };

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // malformed JSON is left to tRPC, which answers it with its own PARSE_ERROR
  }
}

/**
 * The body read under a byte cap and checked for shape before tRPC parses it: an oversized body is refused
 * without being buffered, and JSON nested deep enough to overflow superjson or zod is a clear 400.
 */
async function boundedBody(req: Request): Promise<{ req: Request; refusal: TRPCError | null }> {
  if (req.method !== "POST") return { req, refusal: null };
  try {
    const text = await readCappedText(req, TRPC_MAX_BODY_BYTES);
    checkJsonShape(parsedOrNull(text), TRPC_JSON_LIMITS);
    return { req: new Request(req, { body: text }), refusal: null };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { req, refusal: new TRPCError({ code: error.code === "PAYLOAD_TOO_LARGE" ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", message: error.message, cause: error }) };
  }
}

/** Answers one /api/trpc request; the route handler is this call, and tests send it real Requests. */
export async function handleTrpcRequest(incoming: Request, deps?: TrpcDeps): Promise<Response> {
  const { req, refusal } = await boundedBody(incoming);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => {
      if (refusal) throw refusal;
      return createTrpcContext({ req, resHeaders }, deps);
    },
  });
}
