import { headers } from "next/headers";
import { cache } from "react";
import { env } from "@/server/env";
import { createTrpcContext } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

/**
 * The tRPC procedures called in-process from a Server Component, with the same session, workspace
 * and role checks as a browser call: a dashboard page renders its data in the first HTML instead of
 * fetching it after load. One caller per request (React `cache`), so a layout and its page share it.
 */
export const serverApi = cache(async () => {
  const incoming = await headers();
  const req = new Request(new URL("/dashboard", env().APP_URL), { headers: new Headers(incoming) });
  const ctx = await createTrpcContext({ req, resHeaders: new Headers() });
  return createCaller({
    ...ctx,
    setActiveTenant() {
      throw new Error("Server Components cannot switch the workspace; use the tRPC mutation from the browser.");
    },
  });
});
