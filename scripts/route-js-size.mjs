// After `next build`: the JavaScript each dashboard route loads, gzipped, from the build's own manifests
// (Next 16 no longer prints sizes). The flow editor's route also gets the part only it loads.
// Usage: node scripts/route-js-size.mjs [.next]
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] ?? ".next";
const build = JSON.parse(readFileSync(path.join(dist, "build-manifest.json"), "utf8"));
const shared = [...build.polyfillFiles, ...build.rootMainFiles];
const gzipped = new Map();
const size = (file) => {
  if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gzipped.get(file);
};
const total = (files) => [...new Set(files)].reduce((n, f) => n + size(f), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** The page's own entry chunks, as the client reference manifest lists them for the route's page module. */
function pageFiles(route) {
  const manifest = path.join(dist, "server/app", route, "page_client-reference-manifest.js");
  if (!existsSync(manifest)) return null;
  const source = readFileSync(manifest, "utf8");
  const json = source.slice(source.indexOf("= {") + 2).trim().replace(/;$/, "");
  const entries = JSON.parse(json).entryJSFiles ?? {};
  return entries[`[project]/app${route}/page`] ?? null;
}

const routes = [];
const walk = (dir) => {
  for (const entry of readdirSync(path.join(dist, "server/app", dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const route = `${dir}/${entry.name}`;
    if (existsSync(path.join(dist, "server/app", route, "page_client-reference-manifest.js"))) routes.push(route);
    walk(route);
  }
};
walk("/dashboard");
if (existsSync(path.join(dist, "server/app/dashboard/page_client-reference-manifest.js"))) routes.unshift("/dashboard");

const rows = routes.map((route) => ({ route, files: [...shared, ...(pageFiles(route) ?? [])] }));
const layout = new Set(rows.find((r) => r.route === "/dashboard/account")?.files ?? shared);
console.log("\nJavaScript per dashboard route (gzip, everything the page loads on first visit):");
for (const { route, files } of rows) console.log(`  ${route.padEnd(34)} ${kb(total(files)).padStart(9)}`);
const editor = rows.find((r) => r.route === "/dashboard/flows/[flowId]");
if (editor) console.log(`  the flow editor's own (beyond the account page's): ${kb(total(editor.files.filter((f) => !layout.has(f))))}`);
