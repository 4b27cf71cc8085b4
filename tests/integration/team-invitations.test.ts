import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations, memberships, tenants } from "@/db/schema";
import { authenticate } from "@/server/auth/login";
import { hashPassword } from "@/server/auth/passwords";
import { INVITES_PER_ADDRESS } from "@/server/tenants/invitations";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { createCaller } from "@/server/trpc/root";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
const deps = () => ({ db: handle.db, kv, mailer });
const tokenFrom = (link: string) => new URL(link).searchParams.get("token")!;
const linkTo = (email: string) => tokenFrom(mailer.lastLinkTo(email));
const PASSWORD = "joining-day-2026";
let seq = 0;
const unique = (tag: string) => `${tag}-${Date.now()}-${seq++}@example.com`;

async function owner(company: string) {
  const email = unique("owner");
  const { tenant, user } = await createTenantWithOwner(handle.db, { companyName: company, email, passwordHash: await hashPassword("irrelevant-pass-1"), verified: true });
  return { tenantId: tenant.id, userId: user.id, email, api: callerFor(deps(), user.id, tenant.id) };
}

/** A user who joined `tenantId` with `role` through an invitation, and a caller acting in that workspace. */
async function joined(inviter: Awaited<ReturnType<typeof owner>>, role: "owner" | "admin" | "member") {
  const email = unique(role);
  await inviter.api.team.invite({ email, role });
  await callerFor(deps(), null).auth.signupWithInvitation({ token: linkTo(email), password: PASSWORD, confirmPassword: PASSWORD });
  const userId = (await inviter.api.team.members()).find((m) => m.email === email)!.userId;
  return { userId, email, api: callerFor(deps(), userId, inviter.tenantId) };
}

/** What the link of `token` tells its holder when it no longer works. */
const linkSays = (token: string) =>
  callerFor(deps(), null)
    .auth.invitation({ token })
    .then(
      () => "still valid",
      (e: Error) => e.message,
    );

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("joining a workspace from an invitation link", () => {
  it("signs a new person up with the invited address and no company, verified, straight into the inviting workspace", async () => {
    const acme = await owner("Acme Outdoor");
    const email = unique("new-hire");
    await acme.api.team.invite({ email: email.toUpperCase(), role: "admin" });
    const token = linkTo(email);
    const tenantsBefore = (await handle.db.select({ id: tenants.id }).from(tenants)).length;

    const anonymous = callerFor(deps(), null);
    expect(await anonymous.auth.invitation({ token })).toEqual({ email, role: "admin", tenantName: "Acme Outdoor", hasAccount: false });
    await expect(anonymous.auth.signupWithInvitation({ token, password: PASSWORD, confirmPassword: "something-else-1" })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    let activeCookie: string | null = null;
    // A client address of its own: the per-address sign-up bucket lives in a Redis other test files share.
    const signingUp = createCaller({ ...deps(), userId: null, activeTenantId: null, ip: `198.51.100.${Math.floor(Math.random() * 250) + 1}`, setActiveTenant: (id) => (activeCookie = id) });
    expect(await signingUp.auth.signupWithInvitation({ token, password: PASSWORD, confirmPassword: PASSWORD })).toEqual({ email, tenantId: acme.tenantId, tenantName: "Acme Outdoor" });
    expect(activeCookie).toBe(acme.tenantId);

    // The mailed link proved the address: the account logs in at once, with no verification mail sent.
    const login = await authenticate(deps(), { email, password: PASSWORD, ip: null });
    expect(login).toMatchObject({ ok: true });
    expect(mailer.sent.filter((m) => m.to === email).map((m) => m.subject)).toEqual(["You're invited to join Acme Outdoor"]);
    const userId = login.ok ? login.user.id : "";
    const asNewHire = callerFor(deps(), userId);
    expect((await asNewHire.tenant.list()).map((t) => [t.name, t.role])).toEqual([["Acme Outdoor", "admin"]]);
    expect(await asNewHire.tenant.current()).toMatchObject({ id: acme.tenantId, role: "admin" });
    expect((await handle.db.select({ id: tenants.id }).from(tenants)).length).toBe(tenantsBefore);

    // Single use: the link now says so, to a second sign-up and to the page alike.
    expect(await linkSays(token)).toBe("This invitation has already been accepted. Log in to open the workspace.");
    await expect(anonymous.auth.signupWithInvitation({ token, password: PASSWORD, confirmPassword: PASSWORD })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await acme.api.team.invitations()).toEqual([]);
  });

  it("sends someone who already has an account to log in, and lets only that account accept", async () => {
    const acme = await owner("Acme Rentals");
    const globex = await owner("Globex");
    await acme.api.team.invite({ email: globex.email, role: "member" });
    const token = linkTo(globex.email);
    expect(await callerFor(deps(), null).auth.invitation({ token })).toMatchObject({ hasAccount: true });
    await expect(callerFor(deps(), null).auth.signupWithInvitation({ token, password: PASSWORD, confirmPassword: PASSWORD })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `${globex.email} already has an account. Log in to accept the invitation.`,
    });
    // The refused sign-up neither changed the existing account's password nor used the link.
    expect(await authenticate(deps(), { email: globex.email, password: PASSWORD, ip: null })).toMatchObject({ ok: false, code: "INVALID_CREDENTIALS" });

    const stranger = await owner("Initech");
    await expect(callerFor(deps(), stranger.userId).auth.acceptInvitation({ token })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: `This invitation was sent to ${globex.email}. Log in with that address to accept it.`,
    });
    expect(await callerFor(deps(), globex.userId).auth.acceptInvitation({ token })).toEqual({ tenantId: acme.tenantId, tenantName: "Acme Rentals" });
    expect((await callerFor(deps(), globex.userId).tenant.list()).map((t) => t.name)).toEqual(["Globex", "Acme Rentals"]);
  });
});

describe("resending, revoking and expiring invitations", () => {
  it("sends a pending address a new link instead of a second invitation, and the old link says it was replaced", async () => {
    const acme = await owner("Acme Resend");
    const email = unique("pending");
    await acme.api.team.invite({ email, role: "member" });
    const first = linkTo(email);
    expect(await acme.api.team.invite({ email, role: "admin" })).toMatchObject({ email, resent: true });
    const second = linkTo(email);
    const [row] = await acme.api.team.invitations();
    expect((await acme.api.team.invitations()).map((i) => [i.email, i.role])).toEqual([[email, "admin"]]);

    expect(await acme.api.team.resend({ invitationId: row!.id })).toMatchObject({ email, resent: true });
    const third = linkTo(email);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(await linkSays(first)).toBe("This invitation was replaced by a newer one; use the latest email.");
    expect(await linkSays(second)).toBe("This invitation was replaced by a newer one; use the latest email.");
    expect(await callerFor(deps(), null).auth.invitation({ token: third })).toMatchObject({ email, role: "admin" });
    await expect(callerFor(deps(), null).auth.signupWithInvitation({ token: first, password: PASSWORD, confirmPassword: PASSWORD })).rejects.toMatchObject({
      message: "This invitation was replaced by a newer one; use the latest email.",
    });
    expect((await acme.api.team.invitations()).map((i) => i.email)).toEqual([email]);
  });

  it("keeps one open invitation per address when several invites arrive at once", async () => {
    const acme = await owner("Acme Doubleclick");
    const email = unique("twice");
    await Promise.all(Array.from({ length: 4 }, () => acme.api.team.invite({ email, role: "member" })));
    expect((await acme.api.team.invitations()).map((i) => i.email)).toEqual([email]);
  });

  it("limits how often one address is sent an invitation, so resending cannot flood an inbox", async () => {
    const acme = await owner("Acme Flood");
    const email = unique("flooded");
    for (let i = 0; i < INVITES_PER_ADDRESS; i++) await acme.api.team.invite({ email, role: "member" });
    const mailsBefore = mailer.sent.length;
    const [row] = await acme.api.team.invitations();
    await expect(acme.api.team.resend({ invitationId: row!.id })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Too many invitations were sent from this workspace or to this address. Please wait an hour and try again.",
    });
    expect(mailer.sent.length).toBe(mailsBefore);
    // The refused resend left the latest link working, and other addresses can still be invited.
    expect(await callerFor(deps(), null).auth.invitation({ token: linkTo(email) })).toMatchObject({ email });
    await acme.api.team.invite({ email: unique("other"), role: "member" });
  });

  it("revokes an invitation after which its link says so and joins nobody", async () => {
    const acme = await owner("Acme Revoke");
    const email = unique("revoked");
    await acme.api.team.invite({ email, role: "member" });
    const token = linkTo(email);
    expect((await acme.api.tenant.checklist()).find((i) => i.key === "team")?.done).toBe(true);
    const [row] = await acme.api.team.invitations();

    expect(await acme.api.team.revoke({ invitationId: row!.id })).toEqual({ revoked: true });
    expect(await acme.api.team.invitations()).toEqual([]);
    expect((await acme.api.tenant.checklist()).find((i) => i.key === "team")?.done).toBe(false);
    const revoked = "This invitation was revoked. Ask the person who invited you if you still need access.";
    expect(await linkSays(token)).toBe(revoked);
    await expect(callerFor(deps(), null).auth.signupWithInvitation({ token, password: PASSWORD, confirmPassword: PASSWORD })).rejects.toMatchObject({ message: revoked });
    await expect(acme.api.team.revoke({ invitationId: row!.id })).rejects.toMatchObject({ code: "NOT_FOUND", message: "This invitation is no longer open." });
    await expect(acme.api.team.resend({ invitationId: row!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await acme.api.team.members()).map((m) => m.email)).toEqual([acme.email]);
  });

  it("says an expired link has expired, keeps it listed as expired, and a resend makes a working one", async () => {
    const acme = await owner("Acme Expiry");
    const email = unique("late");
    const { id } = await acme.api.team.invite({ email, role: "member" });
    const token = linkTo(email);
    await handle.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, id));

    expect(await linkSays(token)).toBe("This invitation has expired. Ask the person who invited you for a new one.");
    expect((await acme.api.team.invitations()).map((i) => [i.email, i.expired])).toEqual([[email, true]]);
    expect((await acme.api.tenant.checklist()).find((i) => i.key === "team")?.done).toBe(false);

    await acme.api.team.resend({ invitationId: id });
    expect((await acme.api.team.invitations()).map((i) => [i.email, i.expired])).toEqual([[email, false]]);
    expect(await callerFor(deps(), null).auth.signupWithInvitation({ token: linkTo(email), password: PASSWORD, confirmPassword: PASSWORD })).toMatchObject({ tenantId: acme.tenantId });
  });

  it("lets only an owner invite, resend or revoke an owner, and no member touch invitations", async () => {
    const acme = await owner("Acme Roles");
    const admin = await joined(acme, "admin");
    const member = await joined(acme, "member");
    const futureOwner = unique("future-owner");
    const { id } = await acme.api.team.invite({ email: futureOwner, role: "owner" });

    await expect(admin.api.team.invite({ email: unique("x"), role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only an owner can invite an owner." });
    await expect(admin.api.team.invite({ email: futureOwner, role: "member" })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only an owner can resend an owner's invitation." });
    await expect(admin.api.team.resend({ invitationId: id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.api.team.revoke({ invitationId: id })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only an owner can revoke an owner's invitation." });
    await expect(member.api.team.revoke({ invitationId: id })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only owners and admins can do this." });
    await expect(member.api.team.resend({ invitationId: id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await acme.api.team.invitations()).map((i) => [i.email, i.role])).toEqual([[futureOwner, "owner"]]);

    const memberInvite = unique("teammate");
    const sent = await admin.api.team.invite({ email: memberInvite, role: "member" });
    await admin.api.team.revoke({ invitationId: sent.id });
    expect(await linkSays(linkTo(memberInvite))).toMatch(/was revoked/);
  });
});

describe("removing members", () => {
  it("offers each viewer exactly the removals the server allows", async () => {
    const acme = await owner("Acme Removal");
    const admin = await joined(acme, "admin");
    const member = await joined(acme, "member");
    const removable = async (api: typeof acme.api) => Object.fromEntries((await api.team.members()).map((m) => [m.email, m.removable]));

    expect(await removable(acme.api)).toEqual({ [acme.email]: false, [admin.email]: true, [member.email]: true });
    expect(await removable(admin.api)).toEqual({ [acme.email]: false, [admin.email]: false, [member.email]: true });
    expect(await removable(member.api)).toEqual({ [acme.email]: false, [admin.email]: false, [member.email]: false });
    expect((await admin.api.team.members()).find((m) => m.you)?.email).toBe(admin.email);

    await expect(acme.api.team.remove({ userId: acme.userId })).rejects.toMatchObject({ message: "You cannot remove yourself from the workspace." });
    await expect(admin.api.team.remove({ userId: acme.userId })).rejects.toMatchObject({ code: "FORBIDDEN", message: "Only an owner can remove an owner." });
    await expect(member.api.team.remove({ userId: admin.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await admin.api.team.remove({ userId: member.userId })).toEqual({ removed: true });
    expect((await acme.api.team.members()).map((m) => m.email)).toEqual([acme.email, admin.email]);
  });

  it("never leaves a workspace without an owner when two owners remove each other at once", async () => {
    const acme = await owner("Acme Standoff");
    const second = await joined(acme, "owner");
    const outcomes = await Promise.allSettled([acme.api.team.remove({ userId: second.userId }), second.api.team.remove({ userId: acme.userId })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    // The loser is refused either by the owner rule or, if it arrives after the removal, as no longer a member.
    const refusal = outcomes.find((o) => o.status === "rejected")?.reason as Error;
    expect(["A workspace needs at least one owner.", "You are not a member of this workspace."]).toContain(refusal.message);
    const owners = (await handle.db.select({ role: memberships.role }).from(memberships).where(eq(memberships.tenantId, acme.tenantId))).filter((m) => m.role === "owner");
    expect(owners).toHaveLength(1);
  });
});
