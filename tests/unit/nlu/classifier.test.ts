import { describe, expect, it } from "vitest";
import { demoFlow } from "@/server/flows/demo-flow";
import { trainClassifier } from "@/server/nlu/classifier";
import { createNlu } from "@/server/nlu/nlu";
import { buildFlowNlu } from "@/server/pipeline/flow-nlu";

const support = trainClassifier({
  help: { examples: ["I need help", "can you support me", "I have a problem"] },
  hours: { examples: ["when are you open", "what are your opening hours", "what time do you close"] },
  order_inquiry: {},
});

describe("intent classifier", () => {
  it("gives a close paraphrase of an example a confidence clearly above 0.6", () => {
    const result = support.classify("could you help me please");
    expect(result.intent).toBe("help");
    expect(result.confidence).toBeGreaterThan(0.6);
  });

  it("scores an exact example at full confidence", () => {
    expect(support.classify("When are you open?")).toMatchObject({ intent: "hours", confidence: 1 });
  });

  it("answers null with zero confidence for text unrelated to every intent", () => {
    expect(support.classify("purple monkey dishwasher")).toEqual({ intent: null, confidence: 0, alternatives: [] });
    expect(support.classify("")).toEqual({ intent: null, confidence: 0, alternatives: [] });
  });

  it("matches a keyword intent when all the words of its name appear, in any inflection", () => {
    expect(support.classify("a quick order inquiry")).toMatchObject({ intent: "order_inquiry", confidence: 0.9 });
    expect(support.classify("about my orders, an inquiry").intent).toBe("order_inquiry");
  });

  it("gives a keyword intent only partial confidence when some of its words are missing", () => {
    const result = support.classify("order");
    expect(result.intent).toBe("order_inquiry");
    expect(result.confidence).toBeLessThan(0.6);
  });

  it("considers only the candidate intents when given", () => {
    const result = support.classify("what are your opening hours", ["help", "order_inquiry"]);
    expect(result.intent).not.toBe("hours");
    expect(result.alternatives.map((a) => a.intent)).not.toContain("hours");
    expect(result.confidence).toBeLessThan(0.6);
  });

  it("lists the runner-up intents as alternatives, best first", () => {
    const { alternatives } = support.classify("I need help, when are you open?");
    expect(alternatives.length).toBeGreaterThan(0);
    const confidences = alternatives.map((a) => a.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it("is deterministic across separately trained instances", () => {
    const again = trainClassifier({
      help: { examples: ["I need help", "can you support me", "I have a problem"] },
      hours: { examples: ["when are you open", "what are your opening hours", "what time do you close"] },
      order_inquiry: {},
    });
    for (const text of ["help me", "open on sunday?", "order inquiry", "nothing at all"]) {
      expect(again.classify(text)).toEqual(support.classify(text));
    }
  });

  it("generalises across values of a tenant list: an example about a phone covers a laptop", () => {
    const withLists = trainClassifier(
      { search: { examples: ["I'm looking for a phone"] }, hours: { examples: ["when are you open"] } },
      { products: ["phone", "laptop"] },
    );
    expect(withLists.classify("looking for laptops").confidence).toBeGreaterThan(0.9);
  });
});

describe("demo flow classifier on held-out paraphrases", () => {
  const nlu = buildFlowNlu(demoFlow);
  const heldOut: [string, string][] = [
    ["hey, good afternoon", "greeting"],
    ["What are your opening hours?", "business_hours"],
    ["when do you open on saturday", "business_hours"],
    ["I'm looking for a laptop", "product_search"],
    ["looking for a smartwatch", "product_search"],
    ["I want to buy a tablet", "product_search"],
    ["my budget is about 600", "price_filter"],
    ["anything cheaper?", "price_filter"],
    ["show me the products", "show_results"],
    ["ok let me see them", "show_results"],
    ["could I order a burger", "place_order"],
    ["I'd like a medium pasta", "place_order"],
    ["what is the status of my order", "order_inquiry"],
    ["where is my stuff", "order_inquiry"],
    ["I got the wrong item", "order_issue"],
    ["I was charged twice", "order_issue"],
    ["I need some help please", "support_request"],
    ["can I talk to a real person", "human_escalation"],
    ["I want to talk to a human", "human_escalation"],
    ["what's the return policy", "general_question"],
    ["thanks so much", "thanks"],
  ];

  it("classifies every held-out paraphrase correctly and above the 0.6 threshold", () => {
    const misses = heldOut
      .map(([text, expected]) => ({ text, expected, got: nlu.classify(text) }))
      .filter(({ expected, got }) => got.intent !== expected || got.confidence < 0.6)
      .map(({ text, expected, got }) => `${text} -> ${got.intent} (${got.confidence}), expected ${expected}`);
    expect(misses).toEqual([]);
  });

  it("keeps gibberish and off-topic text below the threshold", () => {
    for (const text of ["asdfgh qwerty zxcv", "blorp", "the weather is nice in paris", "my cat likes tuna"]) {
      expect(nlu.classify(text).confidence, text).toBeLessThan(0.6);
    }
  });
});

describe("a flow's NLU", () => {
  it("answers a repeated short text as the classifier does, for each set of candidates, without training again or sharing its answer", () => {
    const intents = { help: { examples: ["I need help", "can you support me"] }, hours: { examples: ["when are you open", "what are your opening hours"] } };
    const nlu = createNlu(intents, {});
    const plain = trainClassifier(intents, {});
    for (const candidates of [undefined, ["hours"], []]) {
      for (let i = 0; i < 3; i++) expect(nlu.classify("When are you open?", candidates)).toEqual(plain.classify("When are you open?", candidates));
    }
    expect(nlu.classify("When are you open?", ["help"])).toEqual(plain.classify("When are you open?", ["help"]));
    // A caller that edits its answer does not change the next caller's.
    const first = nlu.classify("can you support me");
    first.alternatives.push({ intent: "forged", confidence: 1 });
    first.intent = "forged";
    expect(nlu.classify("can you support me")).toEqual(plain.classify("can you support me"));
  });
});
