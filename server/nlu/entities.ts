import { findDates } from "./dates";
import { createListMatcher } from "./list-entities";
import { findMoney, parseAmount } from "./money";

/**
 * Entity names produced: email, phone, order_number, date (ISO yyyy-mm-dd), amount and
 * currency (any money mention), budget (money phrased as a ceiling), number (first bare
 * number), plus one entity per tenant list named by `listEntityName`.
 */
export type Entities = Record<string, unknown>;
export type EntityExtractor = (text: string, now: Date) => Entities;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const ORDER_PREFIXED = /\bORD[-_]?(\d{4,})\b/gi;
const ORDER_HASH = /(?<![\w&])#\s?(\d{4,})\b/g;
const ORDER_PHRASE = /\border\s+(?:number|no\.?|num|id)?\s*(?:is\s+)?[:#]?\s*(\d{4,})\b/gi;
const PHONE = /(?<![\w+])\+?\d[\d\s().-]{5,}\d(?!\w)/g;
const NUMBER = /(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w)/g;

type Span = { start: number; end: number };

/** Blanks consumed spans so a later, looser pattern cannot re-read them (e.g. a date as a phone). */
function mask(text: string, spans: Span[]): string {
  let out = text;
  for (const { start, end } of spans) out = out.slice(0, start) + " ".repeat(end - start) + out.slice(end);
  return out;
}

function spanOf(match: RegExpMatchArray): Span {
  const start = match.index ?? 0;
  return { start, end: start + match[0].length };
}

function normalizePhone(raw: string): string {
  return `${raw.trim().startsWith("+") ? "+" : ""}${raw.replace(/\D/g, "")}`;
}

function isPhone(raw: string): boolean {
  const digits = raw.replace(/\D/g, "").length;
  if (digits < 7 || digits > 15) return false;
  return raw.startsWith("+") || /[\s().-]/.test(raw) || digits >= 10;
}

export function findEmail(text: string): string | null {
  return text.matchAll(EMAIL).next().value?.[0].toLowerCase() ?? null;
}

/** 7-15 digits, written like a phone number: a leading +, separators, or at least 10 digits. */
export function findPhone(text: string): string | null {
  const match = [...text.matchAll(PHONE)].find((m) => isPhone(m[0]));
  return match ? normalizePhone(match[0]) : null;
}

function extractOrderNumber(text: string): { value: string; span: Span } | null {
  for (const [pattern, prefix] of [[ORDER_PREFIXED, "ORD"], [ORDER_HASH, ""], [ORDER_PHRASE, ""]] as const) {
    const match = text.matchAll(pattern).next().value;
    if (match) return { value: `${prefix}${match[1] ?? ""}`, span: spanOf(match) };
  }
  return null;
}

export function createEntityExtractor(lists: Record<string, readonly string[]> = {}): EntityExtractor {
  const matchLists = createListMatcher(lists);
  return (text, now) => {
    const entities: Entities = {};
    let rest = text;

    const email = rest.matchAll(EMAIL).next().value;
    if (email) {
      entities.email = email[0].toLowerCase();
      rest = mask(rest, [spanOf(email)]);
    }

    const order = extractOrderNumber(rest);
    if (order) {
      entities.order_number = order.value;
      rest = mask(rest, [order.span]);
    }

    const dates = findDates(rest, now);
    if (dates[0]) entities.date = dates[0].iso;
    rest = mask(rest, dates);

    const money = findMoney(rest);
    const [firstMoney] = money;
    if (firstMoney) {
      entities.amount = firstMoney.amount;
      if (firstMoney.currency) entities.currency = firstMoney.currency;
    }
    const budget = money.find((m) => m.isBudget);
    if (budget) entities.budget = budget.amount;
    rest = mask(rest, money);

    const phone = [...rest.matchAll(PHONE)].find((m) => isPhone(m[0]));
    if (phone) {
      entities.phone = normalizePhone(phone[0]);
      rest = mask(rest, [spanOf(phone)]);
    }

    const number = rest.matchAll(NUMBER).next().value;
    if (number) entities.number = parseAmount(number[0], false);

    return { ...entities, ...matchLists(text) };
  };
}
