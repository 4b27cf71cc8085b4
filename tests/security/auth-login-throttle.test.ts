import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/server/auth/passwords";
import { LOGIN_MAX_PER_ACCOUNT, loginMaxPerAddress } from "@/server/auth/login";
import { loginErrorMessage } from "@/server/auth/login-messages";
import { createRedisKv } from "@/server/cache/redis-kv";
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress } from "@/server/http/client-address.mjs";
import { createTenantWithOwner } from "@/server/tenants/tenant-service";
import { authorizeWith } from "../helpers/auth-session";
import { createTestDb } from "../helpers/test-db";
import { createTestKv } from "../helpers/test-kv";

const PASSWORD = "correct-horse-42";
let handle: Awaited<ReturnType<typeof createTestDb>>;
const kv = createTestKv();
const run = randomUUID().slice(0, 8);
// Unique per run, so buckets left in a shared Redis by an earlier run never count.
const email = (tag: string) => `${tag}-${run}-${Math.random().toString(36).slice(2, 8)}@example.com`;
let octet = 0;
const address = () => `198.18.${Math.floor(Math.random() * 250)}.${++octet}`;
/** The headers next-auth hands to authorize when the production server resolved the caller to `ip`. */
const from = (ip: string) => ({ [CLIENT_ADDRESS_HEADER]: ip });

async function account(tag: string) {
  const addr = email(tag);
  await createTenantWithOwner(handle.db, { companyName: `Throttle ${tag}`, email: addr, passwordHash: await hashPassword(PASSWORD), verified: true });
  return addr;
}

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await kv.close();
  await handle.dispose();
});

describe("login throttling", () => {
  it("evaluates at most 5 of 20 parallel wrong guesses at one account; the rest are refused unevaluated", async () => {
    const login = authorizeWith({ db: handle.db, kv });
    const target = await account("parallel");
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(target, `wrong-guess-${i}`, from(address()))));
    const errors = results.map((r) => ("error" in r ? r.error : "LOGGED_IN"));
    // INVALID_CREDENTIALS is only answered after a password evaluation; TOO_MANY_ATTEMPTS before one.
    expect(errors.filter((e) => e === "INVALID_CREDENTIALS")).toHaveLength(LOGIN_MAX_PER_ACCOUNT);
    expect(errors.filter((e) => e === "TOO_MANY_ATTEMPTS")).toHaveLength(20 - LOGIN_MAX_PER_ACCOUNT);
    expect(await login(target, PASSWORD, from(address()))).toEqual({ error: "TOO_MANY_ATTEMPTS" });
  });

  it("throttles 25 attempts from one address however the client rotates X-Forwarded-For", async () => {
    const login = authorizeWith({ db: handle.db, kv });
    const socket = address();
    const outcomes: string[] = [];
    for (let i = 0; i < 25; i++) {
      const forwardedFor = `10.${i}.0.1, 172.16.${i}.9`;
      // What scripts/next-worker.mjs does with no TRUSTED_PROXIES: the socket's address, the header ignored.
      const resolved = resolveClientAddress(socket, forwardedFor, parseTrustedProxies(""));
      const result = await login(email(`spray${i}`), "nope-nope-1", { "x-forwarded-for": forwardedFor, ...from(resolved!) });
      outcomes.push("error" in result ? result.error : "LOGGED_IN");
    }
    expect(outcomes.slice(0, loginMaxPerAddress()).every((o) => o === "INVALID_CREDENTIALS")).toBe(true);
    expect(outcomes.slice(loginMaxPerAddress())).toEqual(Array(25 - loginMaxPerAddress()).fill("TOO_MANY_ATTEMPTS"));
  });

  it("does not let one address's failures lock out another address or another account", async () => {
    const login = authorizeWith({ db: handle.db, kv });
    const attacker = address();
    const victim = await account("victim");
    const bystander = await account("bystander");
    for (let i = 0; i < LOGIN_MAX_PER_ACCOUNT; i++) await login(victim, `wrong-${i}`, from(attacker));
    expect(await login(victim, PASSWORD, from(attacker))).toEqual({ error: "TOO_MANY_ATTEMPTS" });
    expect(await login(bystander, PASSWORD, from(attacker))).toMatchObject({ user: { email: bystander } });
    expect(await login(bystander, PASSWORD, from(address()))).toMatchObject({ user: { email: bystander } });
  });

  it("keeps no shared bucket for callers whose address is unknown", async () => {
    const login = authorizeWith({ db: handle.db, kv });
    // Without the production server no address is resolved: each failure counts against its account only.
    for (let i = 0; i < loginMaxPerAddress() + 1; i++) expect(await login(email(`unknown${i}`), "nope-nope-1")).toEqual({ error: "INVALID_CREDENTIALS" });
    const owner = await account("unknown-owner");
    expect(await login(owner, PASSWORD)).toMatchObject({ user: { email: owner } });
  });

  it("lets the right password clear the account's earlier failures", async () => {
    const login = authorizeWith({ db: handle.db, kv });
    const owner = await account("slips");
    for (let i = 0; i < LOGIN_MAX_PER_ACCOUNT - 1; i++) await login(owner, `typo-${i}`);
    expect(await login(owner, PASSWORD)).toMatchObject({ user: { email: owner } });
    for (let i = 0; i < LOGIN_MAX_PER_ACCOUNT - 1; i++) expect(await login(owner, `typo-again-${i}`)).toEqual({ error: "INVALID_CREDENTIALS" });
    expect(await login(owner, PASSWORD)).toMatchObject({ user: { email: owner } });
  });
});

describe("login while the cache is down", () => {
  let deadKv: ReturnType<typeof createRedisKv>;
  beforeAll(async () => {
    // A loopback port nothing listens on: taken from the OS, then released.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    deadKv = createRedisKv(`redis://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await deadKv.close();
  });

  it("still logs in and refuses wrong passwords, logging the outage instead of showing it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const login = authorizeWith({ db: handle.db, kv: deadKv });
      const owner = await account("redis-down");
      const started = Date.now();
      expect(await login(owner, PASSWORD, from(address()))).toMatchObject({ user: { email: owner } });
      expect(await login(owner, "wrong-password-1", from(address()))).toEqual({ error: "INVALID_CREDENTIALS" });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(warn.mock.calls.some((args) => String(args[0]).includes("letting requests through"))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });

  it("answers a code, never the driver's error, when the login itself fails, and the page shows a sentence for anything", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const broken = await createTestDb();
      await broken.dispose();
      const result = await authorizeWith({ db: broken.db, kv })(email("db-gone"), PASSWORD);
      expect(result).toEqual({ error: "LOGIN_UNAVAILABLE" });
      expect(error).toHaveBeenCalled();
    } finally {
      error.mockRestore();
    }
    expect(loginErrorMessage("LOGIN_UNAVAILABLE")).toBe("Logging in is not possible right now. Please try again in a minute.");
    for (const raw of ["Reached the max retries per request limit (which is 2). Refer to \"maxRetriesPerRequest\" option for details.", "connect ECONNREFUSED 127.0.0.1:6390", "Configuration", "toString", "__proto__"]) {
      expect(loginErrorMessage(raw)).toBe("We could not log you in. Please try again.");
    }
  });
});
