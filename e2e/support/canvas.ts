import { expect, type Locator, type Page } from "@playwright/test";

export const node = (page: Page, state: string) => page.locator(`[data-testid="flow-node"][data-state="${state}"]`);
export const edgeLabelled = (page: Page, text: string) => page.getByTestId("edge-label").filter({ hasText: text });

/** Waits until the element stops moving (the fit-view animation after a layout). */
export async function settled(locator: Locator) {
  let last = "";
  await expect
    .poll(async () => {
      const box = JSON.stringify(await locator.boundingBox());
      const still = box === last;
      last = box;
      return still;
    }, { intervals: [150] })
    .toBe(true);
}

/** Drags from the dot under `source` onto the dot above `target`, as an author connects two states. */
export async function connect(page: Page, source: string, target: string) {
  await settled(node(page, target));
  const from = (await node(page, source).locator(".react-flow__handle.source").boundingBox())!;
  const to = (await node(page, target).locator(".react-flow__handle.target").boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}
