// Builds the embeddable widget from components/embed/ with esbuild: .widget/widget.js (the loader every snippet
// points at, served by app/widget.js/route.ts with the configs of the page's widgets) and
// public/widget-chat.<hash>.js (the chat, loaded by the loader only when a visitor opens it).
// Both are build outputs (.gitignore). Usage: node scripts/build-widget.mjs [--out DIR] (both files in DIR)
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CHAT_FILE = /^widget-chat\.[0-9a-f]+\.js$/;

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  // Browsers a tenant's visitors still use (2020 on); esbuild lowers newer syntax.
  target: "es2020",
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  write: false,
  logLevel: "silent",
};

const sizeOf = (file, contents) => ({ file, bytes: contents.byteLength, gzip_bytes: gzipSync(contents).byteLength });

/** Where the loader is built by default: not public/, since the app serves it (app/widget.js/route.ts). */
export const LOADER_DIR = path.join(root, ".widget");

/** Builds the chat into `outDir` (public/ by default), removing older chat bundles, and the loader into `loaderDir`; returns their sizes. */
export async function buildWidget({ outDir = path.join(root, "public"), loaderDir = LOADER_DIR } = {}) {
  const chat = await build({ ...common, entryPoints: [path.join(root, "components/embed/chat/chat-entry.tsx")] });
  const chatCode = chat.outputFiles[0].contents;
  // The loader is served uncached-ish under a fixed name; the chat's name changes with its content, so it caches forever.
  const chatFile = `widget-chat.${createHash("sha256").update(chatCode).digest("hex").slice(0, 12)}.js`;
  const loader = await build({ ...common, entryPoints: [path.join(root, "components/embed/loader.ts")], define: { __CHAT_FILE__: JSON.stringify(chatFile) } });
  const loaderCode = loader.outputFiles[0].contents;

  mkdirSync(outDir, { recursive: true });
  mkdirSync(loaderDir, { recursive: true });
  for (const name of readdirSync(outDir)) if (CHAT_FILE.test(name) && name !== chatFile) rmSync(path.join(outDir, name));
  writeFileSync(path.join(outDir, chatFile), chatCode);
  writeFileSync(path.join(loaderDir, "widget.js"), loaderCode);
  return { loader: sizeOf("widget.js", loaderCode), chat: sizeOf(chatFile, chatCode) };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const out = at > 0 ? path.resolve(process.argv[at + 1]) : null;
  const { loader, chat } = await buildWidget(out ? { outDir: out, loaderDir: out } : {});
  console.log(`widget: ${loader.file} ${kb(loader.gzip_bytes)} gzipped (${kb(loader.bytes)}), ${chat.file} ${kb(chat.gzip_bytes)} gzipped (${kb(chat.bytes)})`);
}
