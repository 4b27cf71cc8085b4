import { describe, expect, it } from "vitest";
import { createEntityExtractor } from "@/server/nlu/entities";

// Tuesday 10 March 2026, midday UTC.
const now = new Date("2026-03-10T12:00:00Z");
const extract = createEntityExtractor({
  products: ["laptop", "phone", "headphones"],
  use_cases: ["programming", "gaming", "video editing"],
});

describe("entity extraction: contact details", () => {
  it("extracts an email address in lower case", () => {
    expect(extract("reach me at Jane.Doe+shop@Example.co.uk please", now)).toMatchObject({ email: "jane.doe+shop@example.co.uk" });
  });

  it("extracts a phone number written with separators or a leading plus, keeping only digits", () => {
    expect(extract("call me on +44 20 7946 0958", now)).toMatchObject({ phone: "+442079460958" });
    expect(extract("my number is (555) 123-4567", now)).toMatchObject({ phone: "5551234567" });
  });

  it("does not read a short bare number as a phone number", () => {
    expect(extract("I want 12 of them", now)).toEqual({ number: 12 });
  });
});

describe("entity extraction: numbers and money", () => {
  it("reads 'under $1000' as a budget as well as an amount", () => {
    expect(extract("Under $1000, for programming", now)).toEqual({
      amount: 1000,
      currency: "USD",
      budget: 1000,
      use_case: "programming",
    });
  });

  it("reads decimals, thousands separators, currency words and the k suffix", () => {
    expect(extract("it was $25.50", now)).toMatchObject({ amount: 25.5, currency: "USD" });
    expect(extract("about 1,200 dollars", now)).toMatchObject({ amount: 1200, currency: "USD", budget: 1200 });
    expect(extract("1k", now)).toEqual({ amount: 1000 });
    expect(extract("€80", now)).toMatchObject({ amount: 80, currency: "EUR" });
  });

  it("treats a ceiling phrased after the amount as a budget", () => {
    expect(extract("$800 max", now)).toMatchObject({ budget: 800 });
  });

  it("does not call a plain money mention a budget", () => {
    expect(extract("I paid $40 for it", now)).not.toHaveProperty("budget");
  });

  it("reports a bare number as `number`", () => {
    expect(extract("table for 4", now)).toEqual({ number: 4 });
  });
});

describe("entity extraction: dates relative to an injected now", () => {
  it.each([
    ["tomorrow", "2026-03-11"],
    ["today", "2026-03-10"],
    ["the day after tomorrow", "2026-03-12"],
    ["deliver on 2026-12-01", "2026-12-01"],
    ["next monday", "2026-03-16"],
    ["this tuesday", "2026-03-10"],
    ["next tuesday", "2026-03-17"],
    ["Dec 3", "2026-12-03"],
    ["January 5th", "2027-01-05"],
    ["the 3rd of December 2027", "2027-12-03"],
    ["in 3 days", "2026-03-13"],
  ])("reads %s as %s", (text, iso) => {
    expect(extract(text, now)).toMatchObject({ date: iso });
  });

  it("rejects impossible calendar dates", () => {
    expect(extract("Feb 30", now)).not.toHaveProperty("date");
  });

  it("does not also report the digits of a date as a number or phone", () => {
    expect(extract("2026-12-01", now)).toEqual({ date: "2026-12-01" });
  });
});

describe("entity extraction: order numbers", () => {
  it("keeps the ORD prefix of an order reference", () => {
    expect(extract("Order number ORD123456", now)).toEqual({ order_number: "ORD123456" });
  });

  it("reads #12345 and 'order 12345' as order numbers, not phones or numbers", () => {
    expect(extract("It's order #48213", now)).toEqual({ order_number: "48213" });
    expect(extract("my order number is 5551234", now)).toEqual({ order_number: "5551234" });
  });
});

describe("entity extraction: tenant lists", () => {
  it("matches case-insensitively and maps plurals to the list's own value", () => {
    expect(extract("Do you have LAPTOPS?", now)).toEqual({ product: "laptop" });
    expect(extract("some headphone for gaming", now)).toEqual({ product: "headphones", use_case: "gaming" });
  });

  it("matches multi-word values", () => {
    expect(extract("mostly video editing", now)).toEqual({ use_case: "video editing" });
  });

  it("reports the first value mentioned when several appear", () => {
    expect(extract("a phone or maybe a laptop", now)).toMatchObject({ product: "phone" });
  });

  it("does not match a value inside a longer word", () => {
    expect(extract("my telephone", now)).toEqual({});
  });
});
