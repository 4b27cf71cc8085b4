import { describe, expect, it } from "vitest";
import type { ReferenceScope } from "@/server/flows/references";
import { pickTemplate, renderMapping, renderTemplate } from "@/server/flows/templates";

function scope(overrides: Partial<ReferenceScope> = {}): ReferenceScope {
  return { slots: {}, entities: {}, intent: null, input: "", context: {}, ...overrides };
}

describe("renderTemplate", () => {
  it("fills slots, entities, context, intent and input by name", () => {
    const s = scope({
      slots: { product: "laptop" },
      entities: { budget: 900 },
      context: { user_name: "Sam" },
      intent: "product_search",
      input: "hi",
    });
    expect(renderTemplate("{user_name}: {product} under ${budget} ({intent}, said {input})", s)).toBe(
      "Sam: laptop under $900 (product_search, said hi)",
    );
  });

  it("prefers a slot over an entity of the same name, and reads dotted paths", () => {
    const s = scope({ slots: { size: "large", order: { status: "shipped" } }, entities: { size: "small" } });
    expect(renderTemplate("{size} / {entities.size} / {order.status} / {slots.order.status}", s)).toBe(
      "large / small / shipped / shipped",
    );
  });

  it("drops a missing value and tidies the spacing instead of printing undefined", () => {
    expect(renderTemplate("Hello {user_name}! How can I help?", scope())).toBe("Hello! How can I help?");
    expect(renderTemplate("Hi, {user_name}.", scope())).toBe("Hi.");
    expect(renderTemplate("One {size} {topping} pizza", scope({ slots: { size: "large" } }))).toBe("One large pizza");
  });

  it("joins arrays and never prints an object", () => {
    expect(renderTemplate("{tags} {meta}", scope({ slots: { tags: ["a", "b"], meta: { x: 1 } } }))).toBe("a, b");
  });

  it("leaves braces that are not references alone", () => {
    expect(renderTemplate("use { and } freely", scope())).toBe("use { and } freely");
  });

  it("encodes substituted values when asked, for URLs", () => {
    expect(renderTemplate("/orders/{id}", scope({ slots: { id: "A/1 2" } }), encodeURIComponent)).toBe("/orders/A%2F1%202");
  });
});

describe("renderMapping", () => {
  it("keeps the type of a value that is exactly one reference and renders other strings", () => {
    const s = scope({ slots: { budget: 1000, product: "laptop", tags: ["x"] } });
    expect(renderMapping({ max: "{budget}", q: "best {product}", nested: { tags: "{tags}", fixed: 3 } }, s)).toEqual({
      max: 1000,
      q: "best laptop",
      nested: { tags: ["x"], fixed: 3 },
    });
  });
});

describe("pickTemplate", () => {
  const templates = { default: "Hello!", vip: "Welcome, valued customer!", returning_user: "Welcome back!" };

  it("uses default for a first-time user", () => {
    expect(pickTemplate(templates, scope(), false)).toBe("Hello!");
  });

  it("uses returning_user for a returning user or when the slot says so", () => {
    expect(pickTemplate(templates, scope(), true)).toBe("Welcome back!");
    expect(pickTemplate(templates, scope({ slots: { returning_user: true } }), false)).toBe("Welcome back!");
  });

  it("uses a named variant whose slot is truthy, first declared wins", () => {
    expect(pickTemplate(templates, scope({ slots: { vip: "yes" } }), true)).toBe("Welcome, valued customer!");
    expect(pickTemplate(templates, scope({ slots: { vip: false } }), false)).toBe("Hello!");
  });
});
