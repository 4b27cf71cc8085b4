import { describe, expect, it } from "vitest";
import { listEntityName } from "@/server/nlu/list-entities";
import { normalizeText, singularize, stem, tokenize } from "@/server/nlu/text-normalize";

describe("text normalisation", () => {
  it("lowercases, strips accents and apostrophes, and splits on punctuation", () => {
    expect(normalizeText("  Café? I'm LOOKING—for a laptop!! ")).toBe("cafe im looking for a laptop");
    expect(tokenize("")).toEqual([]);
  });

  it("singularises regular plurals without mangling words that end in s", () => {
    expect(["laptops", "boxes", "categories", "watches", "sizes", "glass", "status", "movies"].map(singularize)).toEqual([
      "laptop",
      "box",
      "category",
      "watch",
      "size",
      "glass",
      "status",
      "movie",
    ]);
  });

  it("stems inflections of one word to the same key", () => {
    expect(new Set(["shipping", "shipped", "ships", "ship"].map(stem))).toEqual(new Set(["ship"]));
  });

  it("names a list's entity after the singular of its key's last word", () => {
    expect(listEntityName("products")).toBe("product");
    expect(listEntityName("use_cases")).toBe("use_case");
    expect(listEntityName("menu_items")).toBe("menu_item");
    expect(listEntityName("size")).toBe("size");
  });
});
