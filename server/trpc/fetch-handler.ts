import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTrpcContext } from "./context";
import type { TrpcDeps } from "./init";
import { appRouter } from "./root";

/** Answers one /api/trpc request; the route handler is this call, and tests send it real Requests. */
export function handleTrpcRequest(req: Request, deps?: TrpcDeps): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createTrpcContext({ req, resHeaders }, deps),
  });
}
