import { readFileSync } from "node:fs";
import path from "node:path";
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/app/docs/flows/render-markdown";
import { draftShapeProblems } from "@/server/flow-store/draft-shape";
import { flowDefinitionSchema, stateSchema, transitionConditionSchema, transitionSchema } from "@/server/flows/flow-schema";
import { validateFlow } from "@/server/flows/validate-flow";

const doc = readFileSync(path.join(import.meta.dirname, "../../docs/flows.md"), "utf8");

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start === -1) return "";
  const level = heading.indexOf(" ");
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && l.indexOf(" ") <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end).join("\n");
}

/** Every object key and enum value a schema accepts, however deep, as an author would write them. */
function namesIn(schema: z.ZodType): Set<string> {
  const names = new Set<string>();
  const walk = (s: z.ZodType) => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    const inner = (key: string) => walk(def[key] as z.ZodType);
    if (def.type === "object") for (const [key, value] of Object.entries(def.shape as Record<string, z.ZodType>)) names.add(key), walk(value);
    else if (def.type === "enum") for (const value of Object.values(def.entries as Record<string, string>)) names.add(value);
    else if (def.type === "array") inner("element");
    else if (def.type === "record") inner("valueType");
    else if (def.type === "union") (def.options as z.ZodType[]).forEach(walk);
    else if (def.type === "pipe") (inner("in"), inner("out"));
    else if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)) inner("innerType");
  };
  walk(schema);
  return names;
}

const backticked = (text: string, name: string) => text.includes(`\`${name}\``);
const states = section(doc, "## States");
const transitions = section(doc, "## Transitions");
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/flows.md against the flow schema", () => {
  it.each(stateSchema.options.map((o) => [o.shape.type.value, o] as const))("documents the %s state with every field of its config", (type, option) => {
    const text = section(states, `### \`${type}\``);
    expect(text, `no "### \`${type}\`" section under "## States"`).not.toBe("");
    expect([...namesIn(option.shape.config)].filter((name) => !backticked(text, name))).toEqual([]);
  });

  it.each(transitionConditionSchema.options)("documents the %s transition condition in its own section", (condition) => {
    expect(section(transitions, `### \`${condition}\``).trim(), `no "### \`${condition}\`" section under "## Transitions"`).not.toBe("");
  });

  it("documents every field of a flow and of a transition", () => {
    const flowFields = [...namesIn(flowDefinitionSchema.omit({ states: true }))];
    expect(flowFields.filter((name) => !backticked(section(doc, "## The flow"), name))).toEqual([]);
    expect([...namesIn(transitionSchema)].filter((name) => !backticked(transitions, name))).toEqual([]);
  });

  it("gives examples that are complete, publishable flows using every state type and condition", () => {
    expect(examples.length).toBeGreaterThanOrEqual(stateSchema.options.length);
    const usedTypes = new Set<string>();
    const usedConditions = new Set<string>();
    for (const source of examples) {
      const definition: unknown = JSON.parse(source);
      expect(draftShapeProblems(definition), source).toEqual([]);
      const check = validateFlow(definition);
      expect(check.ok ? [] : check.issues, source).toEqual([]);
      for (const state of Object.values(flowDefinitionSchema.parse(definition).states)) {
        usedTypes.add(state.type);
        for (const t of state.transitions) usedConditions.add(t.condition);
      }
    }
    expect(stateSchema.options.map((o) => o.shape.type.value).filter((t) => !usedTypes.has(t))).toEqual([]);
    expect(transitionConditionSchema.options.filter((c) => !usedConditions.has(c))).toEqual([]);
  });

  it("links only to headings the rendered page has", () => {
    const html = renderMarkdown(doc);
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const anchors = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(anchors.length).toBeGreaterThan(0);
    expect(anchors.filter((a) => !ids.has(a))).toEqual([]);
  });
});

describe("rendering markdown for the app", () => {
  it("shows raw HTML as text and drops links and images that could run script", () => {
    const html = renderMarkdown(
      [
        "# Title <script>alert(1)</script>",
        "",
        '<img src=x onerror="alert(2)">',
        "",
        "[click](javascript:alert(3)) [docs](/docs/flows) [site](https://example.com) ![pic](javascript:alert(4))",
      ].join("\n"),
    );
    expect(html).not.toMatch(/<script|<img|javascript:/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    expect(html).toContain('<a href="/docs/flows">docs</a>');
    expect(html).toContain('<a href="https://example.com">site</a>');
    expect(html).toContain("click");
  });
});
