import { describe, expect, it } from "vitest";
import { evaluateCondition, evaluateConditions } from "@/server/flows/conditions";
import type { Condition } from "@/server/flows/flow-schema";
import type { ReferenceScope } from "@/server/flows/references";

const scope: ReferenceScope = {
  slots: { budget: 1000, product: "Laptop", tags: ["gaming", "travel"], empty: "", when: "2026-03-10" },
  entities: { email: "a@b.co", budget: 5 },
  intent: "order_issue",
  input: "hello",
  context: {},
};
const holds = (c: Condition) => evaluateCondition(c, scope);

describe("condition evaluation", () => {
  it("compares equal values loosely: case-insensitive text, numeric strings as numbers", () => {
    expect(holds({ operator: "eq", left: "{product}", right: "laptop" })).toBe(true);
    expect(holds({ operator: "eq", left: "{budget}", right: "1000" })).toBe(true);
    expect(holds({ operator: "neq", left: "{intent}", right: "order_inquiry" })).toBe(true);
  });

  it("reads {name} from slots before entities, and entities.x explicitly", () => {
    expect(holds({ operator: "eq", left: "{budget}", right: 1000 })).toBe(true);
    expect(holds({ operator: "eq", left: "{entities.budget}", right: 5 })).toBe(true);
    expect(holds({ operator: "eq", left: "{email}", right: "a@b.co" })).toBe(true);
  });

  it("orders numbers and ISO dates, and refuses to order anything else", () => {
    expect(holds({ operator: "gt", left: "{budget}", right: 999 })).toBe(true);
    expect(holds({ operator: "lte", left: "{budget}", right: 1000 })).toBe(true);
    expect(holds({ operator: "lt", left: "{budget}", right: 1000 })).toBe(false);
    expect(holds({ operator: "gte", left: "{when}", right: "2026-01-01" })).toBe(true);
    expect(holds({ operator: "gt", left: "{product}", right: "a" })).toBe(false);
  });

  it("checks contains on text and arrays", () => {
    expect(holds({ operator: "contains", left: "{product}", right: "lap" })).toBe(true);
    expect(holds({ operator: "contains", left: "{tags}", right: "Gaming" })).toBe(true);
    expect(holds({ operator: "contains", left: "{tags}", right: "office" })).toBe(false);
  });

  it("checks membership with in, against an array or a comma-separated list", () => {
    expect(holds({ operator: "in", left: "{intent}", right: ["order_issue", "support_request"] })).toBe(true);
    expect(holds({ operator: "in", left: "{product}", right: "phone, laptop" })).toBe(true);
    expect(holds({ operator: "in", left: "{product}", right: ["phone"] })).toBe(false);
  });

  it("treats missing, null and empty values as not existing", () => {
    expect(holds({ operator: "exists", left: "{budget}" })).toBe(true);
    expect(holds({ operator: "exists", left: "{empty}" })).toBe(false);
    expect(holds({ operator: "exists", left: "{nothing}" })).toBe(false);
    expect(holds({ operator: "eq", left: "{nothing}", right: "x" })).toBe(false);
  });

  it("treats a string that is not wholly one {reference} as a literal", () => {
    expect(holds({ operator: "eq", left: "budget", right: "budget" })).toBe(true);
    expect(holds({ operator: "eq", left: "{budget} ", right: 1000 })).toBe(false);
  });

  it("combines conditions with and (all) or or (any)", () => {
    const conditions: Condition[] = [
      { operator: "exists", left: "{product}" },
      { operator: "gt", left: "{budget}", right: 5000 },
    ];
    expect(evaluateConditions(conditions, "and", scope)).toBe(false);
    expect(evaluateConditions(conditions, "or", scope)).toBe(true);
  });
});
