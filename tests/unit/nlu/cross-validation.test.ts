import { describe, expect, it } from "vitest";
import { crossValidate } from "@/server/nlu/cross-validation";

const separate = {
  hours: { examples: ["when are you open", "what are your opening hours", "what time do you close", "are you open on sunday", "opening times today"] },
  refund: { examples: ["I want my money back", "refund my purchase", "can I get a refund", "give me a refund please", "money back for this order"] },
  greet: { examples: ["hello", "hello there", "hello friend", "well hello", "hello again"] },
};

describe("crossValidate", () => {
  it("recognises every held-out example when intents do not overlap", () => {
    const result = crossValidate(separate);
    for (const name of Object.keys(separate)) {
      expect(result.perIntent[name]).toEqual({ examples: 5, correct: 5, accuracy: 1, confusedWith: [] });
    }
    expect(result.overall).toBe(1);
    expect(result.confusablePairs).toEqual([]);
  });

  it("reports two intents that share examples as a confusable pair, naming each other and the mixed-up examples", () => {
    const result = crossValidate({
      track: { examples: ["track my delivery", "where is my parcel", "delivery status please", "has my package shipped"] },
      cancel: { examples: ["cancel my subscription", "cancel the subscription now", "where is my parcel", "has my package shipped"] },
    });
    expect(result.perIntent.track!.confusedWith).toEqual([{ intent: "cancel", count: 2, examples: ["where is my parcel", "has my package shipped"] }]);
    expect(result.perIntent.cancel!.confusedWith).toEqual([{ intent: "track", count: 2, examples: ["where is my parcel", "has my package shipped"] }]);
    expect(result.perIntent.track).toMatchObject({ examples: 4, correct: 2, accuracy: 0.5 });
    expect(result.confusablePairs).toEqual([{ a: "cancel", b: "track", count: 4 }]);
  });

  it("reports an intent with one distinct example as not measurable rather than 0%, and leaves it out of the overall figure", () => {
    const result = crossValidate({ ...separate, thanks: { examples: ["thank you", "Thank you!", "  "] } });
    expect(result.perIntent.thanks).toEqual({ examples: 1, correct: 0, accuracy: null, confusedWith: [] });
    expect(result.overall).toBe(1);
    expect(crossValidate({ thanks: { examples: ["thank you"] }, empty: {} }).overall).toBeNull();
  });

  it("treats tenant intent names such as constructor as plain keys", () => {
    const result = crossValidate({ constructor: separate.hours, __proto__: separate.refund } as never);
    expect(Object.keys(result.perIntent)).toEqual(expect.arrayContaining(["constructor"]));
    expect(result.perIntent.constructor).toMatchObject({ examples: 5, correct: 5 });
  });

  it("cross-validates 20 intents of 10 examples each well within the typing debounce", () => {
    const topics = "order shipping refund return account password billing invoice delivery tracking cancel upgrade plan price discount coupon store hours location contact".split(" ");
    const frames = ["how do I {t}", "question about my {t}", "{t} help please", "I need to sort out {t}", "what about the {t}", "can you check {t} for me", "problem with {t} again", "{t} is not working", "tell me about {t} options", "is there news on my {t}"];
    const intents = Object.fromEntries(topics.map((t) => [`${t}_question`, { examples: frames.map((f) => f.replace("{t}", t)) }]));
    crossValidate(intents); // warm the JIT, as a browser tab is by the time someone types
    const started = performance.now();
    const result = crossValidate(intents);
    const elapsed = performance.now() - started;
    console.info(`crossValidate 20 intents x 10 examples: ${elapsed.toFixed(1)} ms`);
    expect(result.overall).toBeGreaterThan(0.9);
    expect(elapsed).toBeLessThan(2000);
  });
});
