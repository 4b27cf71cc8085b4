"use client";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";

export const api = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })],
});

export type FieldErrors = Record<string, string[] | undefined>;

/** The human message and per-field errors of a failed call, ready for a form. */
export function describeError(error: unknown): { message: string; fields: FieldErrors } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { fieldErrors?: FieldErrors | null; details?: { fields?: Record<string, string> } | null } | undefined;
    const fields: FieldErrors = { ...(data?.fieldErrors ?? {}) };
    for (const [k, v] of Object.entries(data?.details?.fields ?? {})) fields[k] = [v];
    // The server words every message, bad input included (server/errors/zod-messages.ts).
    return { message: error.message, fields };
  }
  return { message: "Something went wrong. Please try again.", fields: {} };
}
