import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWidget } from "../../../scripts/build-widget.mjs";

// The budgets, gzipped: the loader every page downloads, and everything an open chat needs.
const LOADER_BUDGET = 6 * 1024;
const OPEN_CHAT_BUDGET = 40 * 1024;

let dir: string;
let built: Awaited<ReturnType<typeof buildWidget>>;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "widget-build-"));
  built = await buildWidget({ outDir: dir, loaderDir: dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the widget build", () => {
  it("keeps the loader within 6 KB and the open chat within 40 KB gzipped", () => {
    expect(built.loader.gzip_bytes).toBeGreaterThan(0);
    expect(built.loader.gzip_bytes).toBeLessThanOrEqual(LOADER_BUDGET);
    expect(built.loader.gzip_bytes + built.chat.gzip_bytes).toBeLessThanOrEqual(OPEN_CHAT_BUDGET);
  });

  it("leaves the chat (Preact and the panel) out of the loader, which names the hashed chat file it loads on open", () => {
    const loader = readFileSync(path.join(dir, "widget.js"), "utf8");
    const chat = readFileSync(path.join(dir, built.chat.file), "utf8");
    expect(built.chat.file).toMatch(/^widget-chat\.[0-9a-f]{12}\.js$/);
    expect(loader).toContain(built.chat.file);
    expect(chat).toContain('role:"log"');
    expect(loader).not.toContain('role:"log"');
    expect(loader).not.toContain(".panel{");
  });
});
