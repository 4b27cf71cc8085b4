import { describe, expect, it } from "vitest";
import { HEX_COLOR, toSixDigitHex } from "@/server/channels/hex-color";

describe("the brand colour field", () => {
  it("accepts #rgb and #rrggbb only, and widens a short colour for the colour picker", () => {
    expect(["#fff", "#0A0", "#4f46e5", "#4F46E5"].filter((c) => HEX_COLOR.test(c))).toHaveLength(4);
    expect(["fff", "#ffff", "#12345", "#12345g", "red", "#4f46e5 ", ""].filter((c) => HEX_COLOR.test(c))).toEqual([]);
    expect(toSixDigitHex("#0A0")).toBe("#00aa00");
    expect(toSixDigitHex("#4F46E5")).toBe("#4f46e5");
  });
});
