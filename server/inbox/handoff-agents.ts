import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";

/** A member of the workspace as a conversation shows who has it. */
export type Agent = { user_id: string; email: string; name: string | null };

const agentColumns = { user_id: users.id, email: users.email, name: users.name };

/** The user, if they are a member of the tenant (a member of another workspace is nobody here). */
export async function memberAgent(db: Db, tenantId: string, userId: string): Promise<Agent | null> {
  const [agent] = await db
    .select(agentColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return agent ?? null;
}

/** `email` lowercased, as emails are stored. */
export async function memberAgentByEmail(db: Db, tenantId: string, email: string): Promise<Agent | null> {
  const [agent] = await db
    .select(agentColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(users.email, email)));
  return agent ?? null;
}

/** "Ann Smith (ann@acme.test)", or the email alone for a member with no name. */
export const agentLabel = (agent: Agent): string => (agent.name ? `${agent.name} (${agent.email})` : agent.email);
