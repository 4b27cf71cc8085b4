import { TRPCError, type inferRouterInputs } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter, type AppRouter } from "@/server/trpc/root";
import { createCaptureMailer } from "../helpers/capture-mailer";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";
import { callerFor } from "../helpers/trpc-caller";
import { leakedMarkers } from "./support/foreign-markers";
import { snapshotTenant } from "./support/tenant-snapshot";
import { seedTwoTenants, type Foreign, type Own } from "./support/two-tenants";

// Procedure paths and their inputs, typed from the router (which nests routers one level deep, as root.ts does).
type Inputs = inferRouterInputs<AppRouter>;
type PathInput = { [R in keyof Inputs & string]: { [P in keyof Inputs[R] & string]: [`${R}.${P}`, Inputs[R][P]] }[keyof Inputs[R] & string] }[keyof Inputs & string];
type ProcedurePath = PathInput[0];
type InputOf<K extends ProcedurePath> = Extract<PathInput, [K, unknown]>[1];

/**
 * How tenant A's owner aims a procedure at tenant B, and what must happen:
 * - NOT_FOUND / FORBIDDEN: the input names B's records (or B itself);
 * - own-data-only: the procedure takes no foreign id, so the answer must carry nothing of B's;
 * - public: the procedure has no tenant (the attempt must still leave B untouched), with the reason.
 * `scope` says which wall the procedure stands behind: the active workspace (tenant), a session (user), or none.
 */
type Case<I> =
  | { scope: "tenant" | "user"; expect: "NOT_FOUND" | "FORBIDDEN" | "own-data-only"; inputs: (b: Foreign, a: Own) => I[] }
  | { scope: "public"; why: string; inputs: (b: Foreign, a: Own) => I[] };

const none = () => [undefined];
const foreignConversations = (b: Foreign) => Object.values(b.conversations).map((conversationId) => ({ conversationId }));

const CASES: { [K in ProcedurePath]: Case<InputOf<K>> } = {
  "auth.signup": {
    scope: "public",
    why: "creates a new workspace for a new user; it takes no tenant, so B's name and owner email must not reach B's rows",
    inputs: (b) => [{ companyName: b.companyName, email: b.ownerEmail, password: "another-pass-42", confirmPassword: "another-pass-42" }],
  },
  "auth.resendVerification": { scope: "public", why: "addressed by email before any session exists; mails the address's owner, nobody else", inputs: (b) => [{ email: b.ownerEmail }] },
  "auth.invitation": { scope: "public", why: "the invitation token is the credential; its holder may read the invited address and workspace name", inputs: (b) => [{ token: b.invitationToken }] },
  "auth.acceptInvitation": { scope: "user", expect: "FORBIDDEN", inputs: (b) => [{ token: b.invitationToken }] },
  // Using B's real token would rightly make its holder B's member; a made-up one must join nothing.
  "auth.signupWithInvitation": {
    scope: "public",
    why: "the invitation token is the credential and names the workspace; without B's token nobody joins B",
    inputs: (b) => [{ token: `${b.invitationToken.slice(0, -4)}xxxx`, password: "another-pass-42", confirmPassword: "another-pass-42" }],
  },
  "auth.requestPasswordReset": { scope: "public", why: "addressed by email before any session exists; the link goes to the address's owner, nobody else", inputs: (b) => [{ email: b.ownerEmail }] },
  // B's invitation token is a secret of B's, but no reset link: it must open nothing.
  "auth.resetPassword": {
    scope: "public",
    why: "the emailed reset token is the credential; a token that is not one changes nobody's password",
    inputs: (b) => [{ token: b.invitationToken, password: "taken-over-42", confirmPassword: "taken-over-42" }],
  },
  // A's own password (seeded as irrelevant-pass-1), changed and changed back so every run starts alike.
  "auth.changePassword": {
    scope: "user",
    expect: "own-data-only",
    inputs: () => [{ currentPassword: "irrelevant-pass-1", newPassword: "changed-pass-42" }, { currentPassword: "changed-pass-42", newPassword: "irrelevant-pass-1" }],
  },
  "tenant.current": { scope: "tenant", expect: "own-data-only", inputs: none },
  "tenant.list": { scope: "user", expect: "own-data-only", inputs: none },
  "tenant.switch": { scope: "user", expect: "FORBIDDEN", inputs: (b) => [{ tenantId: b.tenantId }] },
  "tenant.checklist": { scope: "tenant", expect: "own-data-only", inputs: none },
  "channels.list": { scope: "tenant", expect: "own-data-only", inputs: none },
  "channels.get": { scope: "tenant", expect: "own-data-only", inputs: () => [{ type: "web" }, { type: "whatsapp" }] },
  "channels.update": { scope: "tenant", expect: "own-data-only", inputs: () => [{ type: "web", settings: { title: "Alpha help desk" } }] },
  // Secrets are read and rotated in the active workspace only; B's verify token (A has no WhatsApp or Messenger) stays out of reach.
  "channels.identitySecret": { scope: "tenant", expect: "own-data-only", inputs: none },
  "channels.rotateIdentitySecret": { scope: "tenant", expect: "own-data-only", inputs: none },
  "channels.verifyToken": { scope: "tenant", expect: "NOT_FOUND", inputs: () => [{ type: "whatsapp" }, { type: "messenger" }] },
  // B has a dead letter whose text and reason carry its marker: A lists only its own, and retrying B's id retries nothing.
  "outbox.deadLetters": { scope: "tenant", expect: "own-data-only", inputs: none },
  "outbox.retry": { scope: "tenant", expect: "own-data-only", inputs: (b) => [{ ids: [b.deadLetterId] }, {}] },
  "flows.list": { scope: "tenant", expect: "own-data-only", inputs: none },
  "flows.get": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }] },
  "flows.validate": { scope: "tenant", expect: "own-data-only", inputs: () => [{ definition: { name: "alpha", initial_state: "start", states: {} } }] },
  // Same name as B's flow: names are unique per workspace, so this must neither clash with B's nor touch it.
  "flows.create": {
    scope: "tenant",
    expect: "own-data-only",
    inputs: (b) => [{ name: b.flowName, definition: { name: "alpha", version: "1", initial_state: "start", states: { start: { type: "response", config: { response_templates: { default: "Alpha here" } } } } } }],
  },
  // B's draft is at revision 1: the right revision and a well-formed flow must not get through either.
  "flows.saveDraft": {
    scope: "tenant",
    expect: "NOT_FOUND",
    inputs: (b) => [
      { flowId: b.flowId, definition: { hijacked: true }, canvas: {}, baseRevision: 0 },
      { flowId: b.flowId, definition: { name: "alpha", version: "1", initial_state: "start", states: { start: { type: "response", config: { response_templates: { default: "Alpha here" } } } } }, canvas: { positions: { start: { x: 1, y: 2 } } }, baseRevision: 1 },
    ],
  },
  "flows.publish": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }, { flowId: b.flowId, note: "alpha was here" }] },
  "flows.templates": { scope: "tenant", expect: "own-data-only", inputs: none },
  "flows.duplicate": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId, name: "copied by alpha" }] },
  "flows.rename": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId, name: "renamed by alpha" }] },
  "flows.versions": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }] },
  // B's flow has a version 1; from A it must not exist.
  "flows.version": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId, version: 1 }] },
  "flows.rollback": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId, version: 1 }] },
  "flows.export": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }] },
  // B's flow is B's live one; from A it must be as absent as any other id.
  "flows.delete": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }] },
  // A working draft, so only the wall refuses it: trying it against B's flow id must be as absent as any other id.
  "flows.tryIt": {
    scope: "tenant",
    expect: "NOT_FOUND",
    inputs: (b) => [{ flowId: b.flowId, definition: { name: "alpha", version: "1", initial_state: "start", states: { start: { type: "response", config: { response_templates: { default: "Alpha here" } } } } }, samples: {}, state: null, text: "hello" }],
  },
  // B's flow, conversations and test case by id: none may be read, replayed, saved from, run or deleted from A.
  "flowTests.list": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }] },
  "flowTests.save": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => foreignConversations(b).map((c) => ({ ...c, name: "stolen by alpha" })) },
  "flowTests.delete": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ testCaseId: b.testCaseId }] },
  "flowTests.run": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ flowId: b.flowId }, { flowId: b.flowId, target: "published" }, { flowId: b.flowId, target: 1 }] },
  "flowTests.replay": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => foreignConversations(b).flatMap((c) => [{ ...c, target: "draft" as const }, { ...c, target: 1 }]) },
  "flowTests.replayTargets": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => foreignConversations(b) },
  "team.members": { scope: "tenant", expect: "own-data-only", inputs: none },
  "team.invitations": { scope: "tenant", expect: "own-data-only", inputs: none },
  // Inviting B's member into A is A's business; it must not add anything to B.
  "team.invite": { scope: "tenant", expect: "own-data-only", inputs: (b) => [{ email: b.memberEmail, role: "admin" }] },
  "team.remove": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ userId: b.memberId }, { userId: b.ownerId }] },
  "team.resend": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ invitationId: b.invitationId }] },
  "team.revoke": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ invitationId: b.invitationId }] },
  "models.list": { scope: "tenant", expect: "own-data-only", inputs: none },
  "models.create": { scope: "tenant", expect: "own-data-only", inputs: () => [{ provider: "openai", name: "alpha-main", model: "gpt-4o-mini", apiKey: "sk-alpha-key" }] },
  "models.remove": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ id: b.providerId }] },
  "models.update": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ id: b.providerId, name: "hijacked", model: "gpt-4o-mini" }, { id: b.providerId, name: "hijacked", model: "gpt-4o-mini", apiKey: "sk-alpha-key" }] },
  "models.setDefault": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ id: b.providerId }] },
  // Testing B's model would send B's key somewhere (and store a result on B's row): refused before any call.
  "models.test": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ id: b.providerId }] },
  "models.testDraft": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ id: b.providerId, provider: "openai", model: "gpt-4o-mini" }] },
  // B has a routing policy and spend on a model named with its marker: A reads and sets only its own.
  "models.routing": { scope: "tenant", expect: "own-data-only", inputs: none },
  "models.saveRouting": { scope: "tenant", expect: "own-data-only", inputs: () => [{ chain: [], max_cost_cents: 25, monthly_budget_cents: 5000 }] },
  "models.spend": { scope: "tenant", expect: "own-data-only", inputs: none },
  // B priced a model named with its marker: A lists only its own prices, sets its own, and cannot delete B's.
  "models.prices": { scope: "tenant", expect: "own-data-only", inputs: none },
  "models.setPrice": { scope: "tenant", expect: "own-data-only", inputs: () => [{ model: "openai_compatible:alpha-llama", input_cents_per_mtok: 3, output_cents_per_mtok: 4 }] },
  "models.deletePrice": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ model: b.pricedModel }] },
  "apiKeys.list": { scope: "tenant", expect: "own-data-only", inputs: none },
  "apiKeys.create": { scope: "tenant", expect: "own-data-only", inputs: () => [{ name: "alpha-ci" }] },
  "apiKeys.revoke": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => [{ id: b.keyId }] },
  "chat.test": {
    scope: "tenant",
    expect: "NOT_FOUND",
    inputs: (b) => Object.values(b.conversations).map((conversationId) => ({ text: "show me that conversation", conversationId })),
  },
  // The inbox: B's conversations by id, B's member as a filter, words from B's messages as a search.
  "inbox.list": { scope: "tenant", expect: "own-data-only", inputs: (b) => [{}, { assigned: b.ownerId }, { q: "conversation" }, { status: "waiting" }] },
  "inbox.get": { scope: "tenant", expect: "NOT_FOUND", inputs: foreignConversations },
  "inbox.markRead": { scope: "tenant", expect: "NOT_FOUND", inputs: foreignConversations },
  "inbox.states": { scope: "tenant", expect: "NOT_FOUND", inputs: foreignConversations },
  "inbox.take": { scope: "tenant", expect: "NOT_FOUND", inputs: foreignConversations },
  "inbox.resolve": { scope: "tenant", expect: "NOT_FOUND", inputs: foreignConversations },
  "inbox.release": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => foreignConversations(b).flatMap((c) => [c, { ...c, resumeState: "greeting" }]) },
  "inbox.reply": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => foreignConversations(b).map((c) => ({ ...c, text: "hello from alpha" })) },
  "inbox.note": { scope: "tenant", expect: "NOT_FOUND", inputs: (b) => foreignConversations(b).map((c) => ({ ...c, text: "alpha's note" })) },
  "inbox.agents": { scope: "tenant", expect: "own-data-only", inputs: none },
  "inbox.setAvailable": { scope: "tenant", expect: "own-data-only", inputs: () => [{ available: true }, { available: false }] },
  "analytics.page": { scope: "tenant", expect: "own-data-only", inputs: () => [{}, { from: "2026-01-01", to: "2026-12-31" }] },
  "analytics.timeZone": { scope: "tenant", expect: "own-data-only", inputs: none },
  "analytics.setTimeZone": { scope: "tenant", expect: "own-data-only", inputs: () => [{ time_zone: "Asia/Kolkata" }, { time_zone: "UTC" }] },
};

type Expected = "NOT_FOUND" | "FORBIDDEN" | "UNAUTHORIZED" | "own-data-only";
const entries = Object.entries(CASES) as [ProcedurePath, Case<unknown>][];
const guarded = entries.flatMap(([path, c]) => (c.scope === "public" ? [] : [{ path, c }]));
const asOwner = guarded.map(({ path, c }) => [path, c.expect, c] as const);
// The cookie names B's workspace: tenant procedures must refuse it; session-only ones keep their own answer.
const withForeignCookie = guarded.map(({ path, c }) => [path, c.scope === "tenant" ? "FORBIDDEN" : c.expect, c] as const);
const open = entries.flatMap(([path, c]) => (c.scope === "public" ? [[path, c.why, c] as const] : []));

let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const mailer = createCaptureMailer();
let a: Own;
let b: Foreign;
let markers: string[];

beforeAll(async () => {
  handle = await createTestDb();
  ({ own: a, foreign: b, markers } = await seedTwoTenants({ db: handle.db, kv, mailer }));
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

type Caller = ReturnType<typeof callerFor>;
const as = (userId: string | null, activeTenantId: string | null): Caller => callerFor({ db: handle.db, kv, mailer }, userId, activeTenantId);
const procedureAt = (caller: Caller, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; said: string };
async function attempt(caller: Caller, path: string, input: unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await procedureAt(caller, path)(input) };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, said: JSON.stringify({ message: error.message, details: (error.cause as { details?: unknown } | undefined)?.details }) };
  }
}

/** The outcome the case asks for, and nothing of B's in what A was told. */
function expectOutcome(outcome: Outcome, expected: Expected, input: unknown) {
  const told = outcome.ok ? JSON.stringify(outcome.value) ?? "" : outcome.said;
  expect(outcome.ok ? "own-data-only" : outcome.code, told).toBe(expected);
  expect(leakedMarkers(markers, told, JSON.stringify(input) ?? ""), `B's data in the answer: ${told}`).toEqual([]);
}

/** Runs the attempts and proves no row of B's changed meanwhile. */
async function leavesBUntouched(run: () => Promise<void>) {
  const before = await snapshotTenant(handle.db, b.tenantId);
  await run();
  expect(await snapshotTenant(handle.db, b.tenantId)).toEqual(before);
}

describe("cross-tenant matrix over every tRPC procedure", () => {
  it("has exactly one case per procedure of the router", () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    const cased = Object.keys(CASES).sort();
    expect({ withoutCase: procedures.filter((p) => !cased.includes(p)), caseWithoutProcedure: cased.filter((p) => !procedures.includes(p)) }).toEqual({ withoutCase: [], caseWithoutProcedure: [] });
  });

  it.each(asOwner)("%s answers %s to A's owner aimed at B, tells nothing of B's and changes nothing of B's", async (path, expected, c) => {
    await leavesBUntouched(async () => {
      for (const input of c.inputs(b, a)) expectOutcome(await attempt(as(a.ownerId, a.tenantId), path, input), expected, input);
    });
  });

  it.each(withForeignCookie)("%s answers %s to A's session with the active-workspace cookie set to B", async (path, expected, c) => {
    await leavesBUntouched(async () => {
      for (const input of c.inputs(b, a)) expectOutcome(await attempt(as(a.ownerId, b.tenantId), path, input), expected, input);
    });
  });

  it.each(guarded.map(({ path, c }) => [path, c] as const))("%s answers UNAUTHORIZED without a session, even with B's workspace cookie", async (path, c) => {
    await leavesBUntouched(async () => {
      for (const input of c.inputs(b, a)) expectOutcome(await attempt(as(null, b.tenantId), path, input), "UNAUTHORIZED", input);
    });
  });

  it.each(open)("%s is public (%s): called by A with B's details, it is answered without a crash and B is unchanged", async (path, _why, c) => {
    await leavesBUntouched(async () => {
      for (const input of c.inputs(b, a)) {
        const outcome = await attempt(as(a.ownerId, a.tenantId), path, input);
        // The input must get past validation (or the attempt proves nothing) and must not crash.
        expect(outcome.ok ? "answered" : outcome.code, JSON.stringify(outcome)).not.toMatch(/^(BAD_REQUEST|INTERNAL_SERVER_ERROR)$/);
      }
    });
  });
});
