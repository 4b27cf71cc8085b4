import type { Condition, Operand } from "./flow-schema";
import { isPresent, resolveRef, type ReferenceScope } from "./references";

const WHOLE_REFERENCE = /^\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}$/;
const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

function operandValue(operand: Operand | undefined, scope: ReferenceScope): unknown {
  if (typeof operand !== "string") return operand;
  const ref = WHOLE_REFERENCE.exec(operand);
  return ref?.[1] ? resolveRef(ref[1], scope) : operand;
}

function asNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && NUMERIC.test(value.trim().replace(/,/g, ""))) return Number(value.trim().replace(/,/g, ""));
  return null;
}

/** Slots hold user-typed text, so equality ignores case and treats "1000" and 1000 alike. */
function looselyEqual(a: unknown, b: unknown): boolean {
  if (!isPresent(a) || !isPresent(b)) return !isPresent(a) && !isPresent(b);
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return na === nb;
  if (typeof a === "object" || typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return String(a).trim().toLowerCase() === String(b).trim().toLowerCase();
}

/** Numbers compare numerically, ISO dates chronologically; anything else is not ordered. */
function compare(a: unknown, b: unknown): number | null {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return na - nb;
  if (typeof a === "string" && typeof b === "string" && ISO_DATE.test(a) && ISO_DATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function listOf(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (typeof value === "string") return value.split(",").map((s) => s.trim());
  return null;
}

export function evaluateCondition(condition: Condition, scope: ReferenceScope): boolean {
  const left = operandValue(condition.left, scope);
  const right = operandValue(condition.right, scope);
  switch (condition.operator) {
    case "exists":
      return isPresent(left);
    case "eq":
      return looselyEqual(left, right);
    case "neq":
      return !looselyEqual(left, right);
    case "gt":
    case "lt":
    case "gte":
    case "lte": {
      const order = compare(left, right);
      if (order === null) return false;
      return { gt: order > 0, lt: order < 0, gte: order >= 0, lte: order <= 0 }[condition.operator];
    }
    case "contains":
      if (Array.isArray(left)) return left.some((item) => looselyEqual(item, right));
      return typeof left === "string" && isPresent(right) && left.toLowerCase().includes(String(right).toLowerCase());
    case "in":
      return (listOf(right) ?? []).some((item) => looselyEqual(left, item));
  }
}

export function evaluateConditions(conditions: readonly Condition[], logic: "and" | "or", scope: ReferenceScope): boolean {
  return logic === "and"
    ? conditions.every((c) => evaluateCondition(c, scope))
    : conditions.some((c) => evaluateCondition(c, scope));
}
