import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { emailSchema, passwordSchema, signupSchema } from "@/server/auth/schemas";
import { humanizeKey, plainIssueMessage } from "@/server/errors/zod-messages";
import { storable } from "@/server/http/text";
import { inboundMessageSchema } from "@/server/pipeline/message-schema";

const messagesOf = (schema: z.ZodType, input: unknown) => schema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

describe("the plain error map", () => {
  const cases: [string, z.ZodType, unknown, string[]][] = [
    ["a title after the checks", z.object({ name: z.string().max(80).meta({ title: "Flow name" }) }), { name: "x".repeat(81) }, ["Flow name is at most 80 characters"]],
    ["a title before the checks", z.object({ c: z.string().meta({ title: "Company name" }).trim().min(2) }), { c: " a " }, ["Company name must be at least 2 characters"]],
    ["a missing field", z.object({ email: emailSchema }), {}, ["Email is required"]],
    ["an empty required string", z.object({ email: emailSchema }), { email: "  " }, ["Email is required"]],
    ["a bad email, past the pipe", z.object({ email: emailSchema }), { email: "not-an-email" }, ["Email must be a valid email address"]],
    ["the humanized key with acronyms", z.object({ api_base_url: z.url(), companyName: z.string(), user_id: z.uuid() }), { api_base_url: "nope", user_id: "x" }, ["API base URL must be a valid URL", "Company name is required", "User ID must be a valid UUID"]],
    ["a wrong type", z.object({ enabled: z.boolean(), page: z.number().int(), tags: z.array(z.string()), name: z.string() }), { enabled: "yes", page: 1.5, tags: "a", name: 7 }, ["Enabled must be true or false", "Page must be a whole number", "Tags must be a list", "Name must be text"]],
    ["numbers out of range", z.object({ page: z.number().min(1), size: z.number().positive().max(100) }), { page: 0, size: 101 }, ["Page must be at least 1", "Size must be at most 100"]],
    ["lists, with plural agreement", z.object({ intent_patterns: z.array(z.string()).min(1), tags: z.array(z.string().min(1)).max(1) }), { intent_patterns: [], tags: ["", "b"] }, ["Intent patterns need at least one item", "Tags can have at most 1 item"]],
    ["an item of a list", z.object({ tags: z.array(z.string().min(1)) }), { tags: ["ok", ""] }, ["Item 2 of tags is required"]],
    ["an enum", z.object({ role: z.enum(["owner", "admin", "member"]).meta({ title: "Role" }) }), { role: "king" }, ["Role must be one of: owner, admin, member"]],
    ["a missing enum", z.object({ role: z.enum(["owner", "admin"]).meta({ title: "Role" }) }), {}, ["Role is required"]],
    ["unknown fields", z.strictObject({ a: z.string().optional() }), { foo: 1, bar: 2 }, ["Unknown fields: foo, bar"]],
    ["a union", z.object({ value: z.union([z.string(), z.number()]) }), { value: true }, ["Value is not valid"]],
    ["a discriminated union's type", inboundMessageSchema.pick({ content: true }), { content: { type: "video" } }, ["Content type must be one of: text, image, file, location"]],
    ["a refinement's rule after the label", z.object({ user_id: storable(z.string().meta({ title: "User ID" })) }), { user_id: "a\u0000b" }, ["User ID must not contain NUL characters or unpaired UTF-16 surrogates"]],
  ];
  it.each(cases)("words %s", (_name, schema, input, expected) => {
    expect(messagesOf(schema, input)).toEqual(expected);
  });

  it("keeps a message written in the schema, and the sign-up form's two sentences exactly", () => {
    const form = { companyName: "Acme", email: "a@b.co", password: "short", confirmPassword: "short" };
    expect(messagesOf(signupSchema, form)).toEqual(["Password must be at least 10 characters", "Password must contain letters and numbers"]);
    expect(messagesOf(signupSchema, { ...form, password: "launch-day-2026", confirmPassword: "launch-day-2027" })).toEqual(["Passwords do not match"]);
    // The same rules under another title, as the change-password and reset forms use them.
    expect(messagesOf(passwordSchema.meta({ title: "New password" }), "short")[0]).toBe("New password must be at least 10 characters");
  });

  it("an empty sign-up names every missing field", () => {
    expect(messagesOf(signupSchema, {})).toEqual(["Company name is required", "Email is required", "Password is required", "Password confirmation is required"]);
  });

  it("humanizes keys as a person would read them", () => {
    expect(["companyName", "api_base_url", "page_size", "phoneNumberId", "q"].map(humanizeKey)).toEqual(["Company name", "API base URL", "Page size", "Phone number ID", "Q"]);
  });
});

describe("every process that parses installs the map", () => {
  // The map lives in zod's global config: clear it, load the entry point afresh, and it must be back.
  it.each(["@/server/trpc/init", "@/server/http/envelope", "@/server/cli/commands", "@/server/flows/validate-flow"])("importing %s installs it", async (entry) => {
    z.config({ customError: undefined });
    expect(messagesOf(z.object({ name: z.string() }), {})).toEqual(["Invalid input: expected string, received undefined"]);
    vi.resetModules();
    await import(entry);
    expect(messagesOf(z.object({ name: z.string() }), {})).toEqual(["Name is required"]);
    z.config({ customError: plainIssueMessage });
  });
});
