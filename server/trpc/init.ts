import { randomUUID } from "node:crypto";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import type { Db } from "@/db/client";
import type { Plan, Role } from "@/db/schema";
import type { Kv } from "../cache/kv";
import type { Mailer } from "../email/mailer";
import { AppError, type ErrorCode } from "../errors/app-error";
import { humanizeKey, summarizeIssues } from "../errors/zod-messages";
import { toAppError } from "../http/envelope";
import { UNSTORABLE_TEXT_RULE, unstorablePaths } from "../http/text";
import { findMembership, listUserTenants } from "../tenants/tenant-service";

export type TrpcDeps = { db: Db; kv: Kv; mailer: Mailer };

/** Built per request by createTrpcContext (server/trpc/context.ts). */
export type TrpcContext = TrpcDeps & {
  userId: string | null;
  activeTenantId: string | null;
  /** The resolved client address; null when unknown (per-address limits are then skipped). */
  ip: string | null;
  setActiveTenant(tenantId: string): void;
};

const TRPC_CODES: Record<ErrorCode, TRPCError["code"]> = {
  VALIDATION_ERROR: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  EMAIL_NOT_VERIFIED: "FORBIDDEN",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  GONE: "PRECONDITION_FAILED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  INTERNAL_ERROR: "INTERNAL_SERVER_ERROR",
  PROVIDER_UNAVAILABLE: "BAD_GATEWAY",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const app = error.cause instanceof AppError ? error.cause : null;
    const zodError = error.cause instanceof z.ZodError ? error.cause : null;
    if (error.code === "INTERNAL_SERVER_ERROR" && !app) {
      // An unexpected error's message may hold SQL and its parameters: the client gets a reference, the log the rest.
      const requestId = randomUUID();
      console.error(`[trpc] ${shape.data.path ?? "?"} ${requestId}`, error.cause ?? error);
      const generic = toAppError(error, requestId);
      return { ...shape, message: generic.message, data: { ...shape.data, stack: undefined, appCode: generic.code, details: generic.details ?? null, fieldErrors: null } };
    }
    return {
      ...shape,
      // tRPC's own message for a bad input is zod's issue list as JSON; a person gets the first problem in words.
      message: zodError ? summarizeIssues(zodError) : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: app?.code ?? (zodError ? "VALIDATION_ERROR" : null),
        details: app?.details ?? null,
        fieldErrors: zodError ? z.flattenError(zodError).fieldErrors : null,
      },
    };
  },
});

/** Maps the domain's AppError to the matching tRPC code once, for every procedure. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

/**
 * Text Postgres cannot store (NUL, unpaired surrogates) is refused before any procedure runs, wherever it
 * sits in the input (a flow definition's template as much as a name), naming where; otherwise it would
 * reach the database and fail there as an internal error.
 */
const refuseUnstorableInput = t.middleware(async ({ getRawInput, next }) => {
  const paths = unstorablePaths(await getRawInput());
  if (paths.length === 0) return next();
  const says = (path: (string | number)[]) => {
    const key = [...path].reverse().find((part): part is string => typeof part === "string");
    return `${key ? humanizeKey(key) : "Input"} ${UNSTORABLE_TEXT_RULE}`;
  };
  // Shaped as the input schema's own refusal, so clients read it the same way (fieldErrors, the message).
  // Raised through a parse: a ZodError built by hand is not an Error, and tRPC would not keep it as the cause.
  const refused = z.unknown().superRefine((_, ctx) => paths.forEach((path) => ctx.addIssue({ code: "custom", path, message: says(path) }))).safeParse(null);
  throw new TRPCError({ code: "BAD_REQUEST", message: says(paths[0]!), cause: refused.error });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapAppErrors).use(refuseUnstorableInput);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.userId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in to continue." });
  return next({ ctx: { ...ctx, userId: ctx.userId } });
});

export type TenantCtx = { id: string; role: Role; plan: Plan; name: string };

/** Resolves the active tenant and the caller's role once; every tenant query then scopes by ctx.tenant.id. */
export const tenantProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  let tenantId = ctx.activeTenantId;
  if (!tenantId) {
    const [first] = await listUserTenants(ctx.db, ctx.userId);
    if (!first) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any workspace." });
    tenantId = first.id;
  }
  const membership = await findMembership(ctx.db, ctx.userId, tenantId);
  if (!membership) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this workspace." });
  const tenant: TenantCtx = { id: tenantId, role: membership.role, plan: membership.plan, name: membership.tenantName };
  return next({ ctx: { ...ctx, tenant } });
});

export const adminProcedure = tenantProcedure.use(({ ctx, next }) => {
  if (ctx.tenant.role === "member") throw new TRPCError({ code: "FORBIDDEN", message: "Only owners and admins can do this." });
  return next();
});
