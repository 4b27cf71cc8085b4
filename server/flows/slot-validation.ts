import { parseDate } from "@/server/nlu/dates";
import { findEmail, findPhone } from "@/server/nlu/entities";
import { compileList, matchList } from "@/server/nlu/list-entities";
import { parseMoneyAnswer } from "@/server/nlu/money";
import { findPatternMatch } from "@/server/security/safe-regex";
import type { SlotValidation } from "./flow-schema";
import { isPresent } from "./references";

export type SlotCheck = { ok: true; value: unknown } | { ok: false; error: string };

export type ValidationContext = { now: Date; lists: Record<string, readonly string[]> };

const NUMBER = /-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/;

function enumValues(rule: SlotValidation, lists: ValidationContext["lists"]): readonly string[] {
  return rule.values ?? (rule.list ? (lists[rule.list] ?? []) : []);
}

function defaultError(rule: SlotValidation, lists: ValidationContext["lists"]): string {
  switch (rule.type) {
    case "email":
      return "That doesn't look like an email address.";
    case "phone":
      return "That doesn't look like a phone number.";
    case "number":
    case "money":
      return "Please answer with an amount.";
    case "date":
      return "Please give me a date, for example \"tomorrow\" or \"Dec 3\".";
    case "regex":
      return "That doesn't look right.";
    case "enum":
      return `Please choose one of: ${enumValues(rule, lists).join(", ")}.`;
  }
}

function withinRange(value: number, rule: SlotValidation): string | null {
  if (rule.min !== undefined && value < rule.min) return `Please give a value of at least ${rule.min}.`;
  if (rule.max !== undefined && value > rule.max) return `Please give a value of at most ${rule.max}.`;
  return null;
}

function parseNumber(value: unknown, rule: SlotValidation): number | null {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return null;
  if (rule.type === "money") return parseMoneyAnswer(value);
  const match = NUMBER.exec(value);
  return match ? Number(match[0].replace(/,/g, "")) : null;
}

/**
 * Checks and normalises a candidate slot value, whether it came from an extracted entity
 * or the user's raw reply: "my email is A@B.com" -> "a@b.com", "about $800" -> 800.
 */
export function validateSlotValue(value: unknown, rule: SlotValidation | undefined, ctx: ValidationContext): SlotCheck {
  if (!isPresent(value)) return { ok: false, error: rule?.error_message ?? "I didn't get an answer there." };
  if (!rule) return { ok: true, value: typeof value === "string" ? value.trim() : value };

  const fail = (reason?: string): SlotCheck => ({ ok: false, error: rule.error_message ?? reason ?? defaultError(rule, ctx.lists) });
  const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : "";

  switch (rule.type) {
    case "email": {
      const email = findEmail(text);
      return email ? { ok: true, value: email } : fail();
    }
    case "phone": {
      const phone = findPhone(text);
      return phone ? { ok: true, value: phone } : fail();
    }
    case "number":
    case "money": {
      const parsed = parseNumber(value, rule);
      if (parsed === null) return fail();
      const outOfRange = withinRange(parsed, rule);
      return outOfRange ? fail(outOfRange) : { ok: true, value: parsed };
    }
    case "date": {
      const iso = parseDate(text, ctx.now);
      return iso ? { ok: true, value: iso } : fail();
    }
    case "regex": {
      // validateFlow refuses patterns that do not compile; a flow that skipped it fails closed here.
      const match = rule.pattern === undefined ? null : findPatternMatch(rule.pattern, text.trim());
      return match !== null ? { ok: true, value: match } : fail();
    }
    case "enum": {
      const found = matchList(text, compileList(enumValues(rule, ctx.lists)));
      return found !== null ? { ok: true, value: found } : fail();
    }
  }
}
