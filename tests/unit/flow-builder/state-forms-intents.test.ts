import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { accuracyText, intentWarnings } from "@/components/flow-builder/intent-advice";
import { IntentsPanel, type IntentsPanelProps } from "@/components/flow-builder/intents-panel";
import { crossValidate } from "@/server/nlu/cross-validation";

const mixed = crossValidate({
  track: { examples: ["track my delivery", "where is my parcel", "delivery status please", "has my package shipped"] },
  cancel: { examples: ["cancel my subscription", "cancel the subscription now", "where is my parcel", "has my package shipped"] },
  thanks: { examples: ["thank you"] },
});

describe("what the intents panel says about each intent", () => {
  it("gives the cross-validated accuracy in words, and says when it cannot be measured", () => {
    expect(accuracyText(mixed.perIntent.track)).toBe("2 of 4 examples recognised (50%)");
    expect(accuracyText(mixed.perIntent.thanks)).toBe("Not measurable yet: a second example is needed to test the first against");
    expect(accuracyText(undefined)).toBe("Measuring…");
  });

  it("warns about too few examples and names the intent an example is mistaken for", () => {
    expect(intentWarnings(mixed.perIntent.track)).toEqual([
      "Fewer than 5 examples: add 1 more so visitors' own wording is recognised",
      'Often mistaken for cancel: "where is my parcel" (and 1 more)',
    ]);
    const plenty = { examples: 6, correct: 6, accuracy: 1, confusedWith: [] };
    expect(intentWarnings(plenty)).toEqual([]);
  });
});

describe("intents panel", () => {
  const props: IntentsPanelProps = {
    intents: { greet: { examples: ["hello", "hi there"] }, order: {} },
    lists: { products: ["phone", "laptop"] },
    readOnly: false,
    onIntentsChange: () => {},
    onListsChange: () => {},
    onRenameIntent: () => null,
  };

  it("lists each intent with its examples and the controls to add more, and the entity lists", () => {
    const html = renderToStaticMarkup(createElement(IntentsPanel, props));
    expect(html).toContain('data-testid="intents-panel"');
    expect(html).toMatch(/data-testid="intent-row" data-intent="greet"/);
    expect(html).toMatch(/data-testid="intent-row" data-intent="order"/);
    expect(html).toContain('value="hi there"');
    expect(html.match(/data-testid="intent-example-input"/g)).toHaveLength(2);
    expect(html).toContain('data-testid="add-intent"');
    expect(html).toContain('data-testid="new-intent-name"');
    expect(html).toMatch(/data-testid="entity-lists"[\s\S]*phone\nlaptop/);
    expect(html).toContain("{product}");
  });

  it("shows a read-only viewer the intents without ways to change them", () => {
    const html = renderToStaticMarkup(createElement(IntentsPanel, { ...props, readOnly: true }));
    expect(html).toMatch(/data-intent="greet"/);
    expect(html).not.toContain("<button");
    expect(html).not.toContain('data-testid="intent-example-input"');
  });
});
