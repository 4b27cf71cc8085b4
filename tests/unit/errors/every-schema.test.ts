import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FLAG_SCHEMAS } from "@/server/cli/commands";
import { flowDefinitionSchema } from "@/server/flows/flow-schema";
import { validateFlow } from "@/server/flows/validate-flow";
import { appRouter } from "@/server/trpc/root";
import { BAD_KINDS, badValue, labelsAt, variantCount, ZOD_DEFAULT, type Schema } from "./support/schema-walk";

type Named = { name: string; schema: Schema };

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Every procedure's input schemas, read from the router itself: procedures added later are covered too. */
function procedureInputs(): Named[] {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[] } }>;
  return Object.entries(procedures).flatMap(([name, p]) => p._def.inputs.map((schema, i) => ({ name: `tRPC ${name}${i ? ` (input ${i + 1})` : ""}`, schema: schema as Schema })));
}

/** `import { a, b } from "x"` of a source file, as name -> absolute module path (for "@/..." and relative specifiers). */
function importsOf(file: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const [, names, from] of readFileSync(file, "utf8").matchAll(/import\s*{([^}]+)}\s*from\s*"([^"]+)"/g)) {
    const resolved = from!.startsWith("@/") ? path.join(ROOT, from!.slice(2)) : from!.startsWith(".") ? path.resolve(path.dirname(file), from!) : from!;
    for (const name of names!.split(",")) imports.set(name.replace(/^\s*type\s+/, "").trim(), resolved);
  }
  return imports;
}

/**
 * The schemas each REST route parses (`xSchema.parse(`), resolved through the route file's own imports,
 * and through those of the request handlers it takes from server/http/ (a route file may be one line).
 */
async function restSchemas(): Promise<{ found: Named[]; unresolved: string[] }> {
  const routes = readdirSync(path.join(ROOT, "app/api"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("route.ts"));
  const found: Named[] = [];
  const unresolved: string[] = [];
  for (const route of routes) {
    const routeFile = path.join(ROOT, "app/api", route);
    const handlers = [...new Set(importsOf(routeFile).values())].filter((m) => m.startsWith(path.join(ROOT, "server/http/")) && existsSync(`${m}.ts`)).map((m) => `${m}.ts`);
    for (const file of [routeFile, ...handlers]) {
      const imports = importsOf(file);
      for (const [, name] of readFileSync(file, "utf8").matchAll(/(\w+Schema)\.(?:safe)?[pP]arse\(/g)) {
        const from = imports.get(name!);
        const schema = from ? ((await import(from)) as Record<string, unknown>)[name!] : undefined;
        if (schema instanceof z.ZodType) found.push({ name: `REST ${route} ${name}`, schema: schema as unknown as Schema });
        else unresolved.push(`${route} ${name}`);
      }
    }
  }
  return { found, unresolved };
}

const cliSchemas = (): Named[] => Object.entries(FLAG_SCHEMAS).map(([command, schema]) => ({ name: `CLI ${command}`, schema: schema as unknown as Schema }));

/** Bad inputs of every kind (and for each variant of a discriminated union inside), and `{}`. */
function badInputs(schema: Schema): unknown[] {
  const variants = variantCount(schema);
  const inputs: unknown[] = [{}];
  for (const kind of BAD_KINDS) for (let v = 0; v < variants; v++) inputs.push(badValue(schema, kind, v));
  return inputs;
}

/** What a person would be shown that is wrong: zod's default text, or a message naming no field. */
function problemsWith({ name, schema }: Named): string[] {
  const problems: string[] = [];
  for (const input of badInputs(schema)) {
    const result = (schema as unknown as z.ZodType).safeParse(input);
    if (result.success) continue;
    for (const issue of result.error.issues) {
      const where = `${name} at "${issue.path.join(".")}" for ${JSON.stringify(input).slice(0, 120)}: "${issue.message}"`;
      const labels = issue.code === "unrecognized_keys" ? issue.keys : labelsAt(schema, issue.path, input);
      if (ZOD_DEFAULT.test(issue.message)) problems.push(`${where} is zod's default text`);
      else if (!labels.some((label) => issue.message.toLowerCase().includes(label.toLowerCase()))) problems.push(`${where} names none of ${JSON.stringify(labels)}`);
    }
  }
  return problems;
}

/** Counts issues too, so the walk is known to have tried something. */
function issueCount(schemas: Named[]): number {
  return schemas.reduce((n, { schema }) => n + badInputs(schema).reduce<number>((m, input) => m + ((schema as unknown as z.ZodType).safeParse(input).error?.issues.length ?? 0), 0), 0);
}

describe("no default zod message reaches a person", () => {
  it("every tRPC procedure's input names the field and the rule for missing, mistyped, out-of-range and malformed values", () => {
    const schemas = procedureInputs();
    expect(schemas.map((s) => s.name)).toEqual(expect.arrayContaining(["tRPC auth.signup", "tRPC flows.create", "tRPC team.invite", "tRPC chat.test"]));
    expect(issueCount(schemas)).toBeGreaterThan(200);
    expect(schemas.flatMap(problemsWith)).toEqual([]);
  });

  it("every REST body, path and query schema does too", async () => {
    const { found, unresolved } = await restSchemas();
    expect(unresolved).toEqual([]);
    expect(found.map((s) => s.name.split(" ").at(-1))).toEqual(expect.arrayContaining(["inboundMessageSchema", "historyQuerySchema", "searchQuerySchema", "conversationPathSchema", "widgetMessageSchema"]));
    expect(found.flatMap(problemsWith)).toEqual([]);
  });

  it("every CLI command's flags do too", () => {
    const schemas = cliSchemas();
    expect(schemas.map((s) => s.name)).toEqual(["CLI tenant create", "CLI apikey create", "CLI flow import", "CLI channel set", "CLI flow test", "CLI provider set", "CLI routing set", "CLI price set", "CLI keys rotate", "CLI outbox retry"]);
    expect(issueCount(schemas)).toBeGreaterThan(10);
    expect(schemas.flatMap(problemsWith)).toEqual([]);
  });

  it("the flow validator names the state, the transition and the field for every state type's bad config", () => {
    const schema = flowDefinitionSchema as unknown as Schema;
    const problems: string[] = [];
    let seen = 0;
    for (const input of badInputs(schema)) {
      const result = validateFlow(input);
      if (result.ok) continue;
      for (const issue of result.issues) {
        seen++;
        const where = `${issue.state ?? "(flow)"}.${issue.field ?? ""}: "${issue.message}"`;
        if (ZOD_DEFAULT.test(issue.message)) problems.push(`${where} is zod's default text`);
        if (issue.state !== undefined && !issue.message.includes(`state "${issue.state}"`) && !issue.message.startsWith(`State "${issue.state}"`)) problems.push(`${where} does not name its state`);
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });
});
