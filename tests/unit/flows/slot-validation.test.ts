import { describe, expect, it } from "vitest";
import { slotValidationSchema, type SlotValidation } from "@/server/flows/flow-schema";
import { validateSlotValue } from "@/server/flows/slot-validation";
import { NOW } from "./flow-fixtures";

const ctx = { now: NOW, lists: { sizes: ["small", "medium", "large"] } };
const rule = (input: SlotValidation) => slotValidationSchema.parse(input);
const check = (value: unknown, r?: SlotValidation) => validateSlotValue(value, r, ctx);

describe("slot validation by type", () => {
  it("finds and normalises an email inside a sentence", () => {
    expect(check("it's Jo@Example.com thanks", rule({ type: "email" }))).toEqual({ ok: true, value: "jo@example.com" });
    expect(check("no email here", rule({ type: "email" }))).toMatchObject({ ok: false });
  });

  it("normalises a phone number to digits", () => {
    expect(check("+1 (555) 010-9999", rule({ type: "phone" }))).toEqual({ ok: true, value: "+15550109999" });
    expect(check("12", rule({ type: "phone" }))).toMatchObject({ ok: false });
  });

  it("reads numbers and enforces min and max", () => {
    expect(check("about 3", rule({ type: "number", min: 1, max: 10 }))).toEqual({ ok: true, value: 3 });
    expect(check("42", rule({ type: "number", max: 10 }))).toEqual({ ok: false, error: "Please give a value of at most 10." });
  });

  it("reads money with or without a currency marker", () => {
    expect(check("around $1.5k", rule({ type: "money" }))).toEqual({ ok: true, value: 1500 });
    expect(check("800", rule({ type: "money", min: 1 }))).toEqual({ ok: true, value: 800 });
    expect(check(0, rule({ type: "money", min: 1 }))).toMatchObject({ ok: false });
  });

  it("resolves dates to ISO against now", () => {
    expect(check("tomorrow please", rule({ type: "date" }))).toEqual({ ok: true, value: "2026-03-11" });
    expect(check("whenever", rule({ type: "date" }))).toMatchObject({ ok: false });
  });

  it("keeps the matched part of a case-insensitive regex", () => {
    expect(check("it is ord123456", rule({ type: "regex", pattern: "ORD\\d{6}" }))).toEqual({ ok: true, value: "ord123456" });
  });

  it("maps an enum answer to its canonical value, from values or a named list", () => {
    expect(check("Large please", rule({ type: "enum", list: "sizes" }))).toEqual({ ok: true, value: "large" });
    expect(check("red", rule({ type: "enum", values: ["Red", "Blue"] }))).toEqual({ ok: true, value: "Red" });
    expect(check("huge", rule({ type: "enum", list: "sizes" }))).toEqual({ ok: false, error: "Please choose one of: small, medium, large." });
  });

  it("uses the rule's error message when one is given", () => {
    expect(check("nope", rule({ type: "email", error_message: "Need an email." }))).toEqual({ ok: false, error: "Need an email." });
  });

  it("accepts any non-empty answer for a slot without a rule", () => {
    expect(check("  anything  ")).toEqual({ ok: true, value: "anything" });
    expect(check("   ")).toMatchObject({ ok: false });
  });
});
