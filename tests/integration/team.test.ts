import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaller } from "@/server/trpc/root";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const tokenFrom = (link: string) => new URL(link).searchParams.get("token")!;

async function owner(company: string, email: string) {
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  return { tenantId: tenant.id, userId: user.id };
}

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("team invitations and workspace switching", () => {
  it("lets an owner invite a teammate who joins with that role and can switch between workspaces", async () => {
    const acme = await owner("Acme", "boss@acme.test");
    const globex = await owner("Globex", "sam@globex.test");
    const asBoss = callerFor({ db: handle.db, kv, mailer }, acme.userId, acme.tenantId);
    await asBoss.team.invite({ email: "Sam@Globex.test", role: "admin" });
    expect((await asBoss.team.invitations()).map((i) => i.email)).toEqual(["sam@globex.test"]);
    expect((await asBoss.tenant.checklist()).find((i) => i.key === "team")?.done).toBe(true);

    const token = tokenFrom(mailer.lastLinkTo("sam@globex.test"));
    expect(await callerFor({ db: handle.db, kv, mailer }, null).auth.invitation({ token })).toEqual({ email: "sam@globex.test", role: "admin", tenantName: "Acme", hasAccount: true });

    // The link only works for the address it was sent to.
    const other = await owner("Initech", "peter@initech.test");
    await expect(callerFor({ db: handle.db, kv, mailer }, other.userId).auth.acceptInvitation({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const asSam = (active: string | null) => callerFor({ db: handle.db, kv, mailer }, globex.userId, active);
    const joined = await callerFor({ db: handle.db, kv, mailer }, globex.userId).auth.acceptInvitation({ token });
    expect(joined).toEqual({ tenantId: acme.tenantId, tenantName: "Acme" });
    await expect(callerFor({ db: handle.db, kv, mailer }, globex.userId).auth.acceptInvitation({ token })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    expect((await asSam(null).tenant.list()).map((t) => [t.name, t.role])).toEqual([["Globex", "owner"], ["Acme", "admin"]]);
    expect((await asSam(acme.tenantId).tenant.current())).toMatchObject({ id: acme.tenantId, role: "admin" });
    expect((await asSam(acme.tenantId).team.members()).map((m) => m.email).sort()).toEqual(["boss@acme.test", "sam@globex.test"]);

    let switched: string | null = null;
    const caller = createCaller({ db: handle.db, kv, mailer, userId: globex.userId, activeTenantId: null, ip: "127.0.0.1", setActiveTenant: (id) => (switched = id) });
    await caller.tenant.switch({ tenantId: acme.tenantId });
    expect(switched).toBe(acme.tenantId);
    await expect(caller.tenant.switch({ tenantId: other.tenantId })).rejects.toBeInstanceOf(TRPCError);
  });

  it("does not let an admin invite an owner or remove an owner, nor anyone remove themselves", async () => {
    const acme = await owner("Umbrella", "alice@umbrella.test");
    const asAlice = callerFor({ db: handle.db, kv, mailer }, acme.userId, acme.tenantId);
    await asAlice.team.invite({ email: "bob@umbrella.test", role: "admin" });
    const bob = await owner("Bob's own", "bob@umbrella.test");
    await callerFor({ db: handle.db, kv, mailer }, bob.userId).auth.acceptInvitation({ token: tokenFrom(mailer.lastLinkTo("bob@umbrella.test")) });
    const asBob = callerFor({ db: handle.db, kv, mailer }, bob.userId, acme.tenantId);
    await expect(asBob.team.invite({ email: "eve@umbrella.test", role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asBob.team.remove({ userId: acme.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asAlice.team.remove({ userId: acme.userId })).rejects.toMatchObject({ code: "CONFLICT", message: "You cannot remove yourself from the workspace." });
    await expect(asBob.team.remove({ userId: bob.userId })).rejects.toMatchObject({ code: "CONFLICT", message: "You cannot remove yourself from the workspace." });
    await expect(asAlice.team.invite({ email: "bob@umbrella.test", role: "member" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("ends a removed member's access to the workspace on their next request", async () => {
    const acme = await owner("Wayne", "bruce@wayne.test");
    const asBruce = callerFor({ db: handle.db, kv, mailer }, acme.userId, acme.tenantId);
    await asBruce.team.invite({ email: "alfred@wayne.test", role: "admin" });
    const alfred = await owner("Alfred's own", "alfred@wayne.test");
    await callerFor({ db: handle.db, kv, mailer }, alfred.userId).auth.acceptInvitation({ token: tokenFrom(mailer.lastLinkTo("alfred@wayne.test")) });
    const asAlfred = callerFor({ db: handle.db, kv, mailer }, alfred.userId, acme.tenantId);
    expect(await asAlfred.tenant.current()).toMatchObject({ id: acme.tenantId, role: "admin" });

    await asBruce.team.remove({ userId: alfred.userId });
    await expect(asAlfred.team.members()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asAlfred.tenant.switch({ tenantId: acme.tenantId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await asAlfred.tenant.list()).map((t) => t.name)).toEqual(["Alfred's own"]);
  });
});
