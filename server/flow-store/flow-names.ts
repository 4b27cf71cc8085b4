import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flows } from "@/db/schema";
import { AppError } from "../errors/app-error";

const NAME_KEY = "flows_tenant_name_key";

function nameTaken(name: string): AppError {
  const message = `A flow named "${name}" already exists.`;
  return new AppError("CONFLICT", message, { fields: { name: message } });
}

/** drizzle wraps the driver's error; postgres.js names the constraint `constraint_name`, PGlite `constraint`. */
function violatesNameKey(error: unknown): boolean {
  for (let e = error as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return e.constraint_name === NAME_KEY || e.constraint === NAME_KEY;
  }
  return false;
}

/**
 * Runs `write` (which gives a flow of the workspace the name `name`) unless another flow has it. The
 * unique index settles a race the check loses, with the same answer, naming the field for the form.
 */
export async function withFreeName<T>(db: Db, tenantId: string, name: string, exceptFlowId: string | null, write: () => Promise<T>): Promise<T> {
  const sameName = and(eq(flows.tenantId, tenantId), eq(flows.name, name), exceptFlowId ? ne(flows.id, exceptFlowId) : undefined);
  const [clash] = await db.select({ id: flows.id }).from(flows).where(sameName).limit(1);
  if (clash) throw nameTaken(name);
  try {
    return await write();
  } catch (error) {
    if (violatesNameKey(error)) throw nameTaken(name);
    throw error;
  }
}
