import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateSlotValue, type SlotCheck } from "@/server/flows/slot-validation";
import { validateFlow } from "@/server/flows/validate-flow";
import { compilePattern, MAX_MATCHED_INPUT, MAX_PATTERN_LENGTH } from "@/server/security/safe-regex";

const root = path.resolve(import.meta.dirname, "../..");
const DEADLINE_MS = 20_000;

/**
 * Runs the checks in a child process with a deadline: with a backtracking engine each of these
 * takes longer than the age of the universe, and a regex that never yields would freeze this
 * worker instead of failing the test. Most of the deadline is the child's start-up.
 */
async function checkInChild(cases: { pattern: string; input: string }[]): Promise<SlotCheck[]> {
  const probe = path.join(root, "tests/security/support/slot-regex-probe.ts");
  // node itself (tsx as a loader, not its wrapper) so the kill reaches the process running the regex.
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, ["--import", "tsx", probe], { cwd: root, timeout: DEADLINE_MS, killSignal: "SIGKILL", maxBuffer: 1 << 24 }, (error, out) => {
      if (!error) return resolve(out);
      reject(new Error(child.killed ? `slot regex checks did not finish within ${DEADLINE_MS} ms: a pattern backtracks` : String(error)));
    });
    child.stdin?.end(JSON.stringify(cases));
  });
  return JSON.parse(stdout) as SlotCheck[];
}

const NOW = new Date("2026-03-10T12:00:00Z");
const check = (pattern: string, input: string) => validateSlotValue(input, { type: "regex", pattern }, { now: NOW, lists: {} });

function flowWithPattern(pattern: string) {
  return {
    name: "patterns",
    version: "1",
    initial_state: "collect",
    states: {
      collect: {
        type: "slot_filling",
        config: { required_slots: ["order_id"], prompts: { order_id: "Your order number?" }, validation: { order_id: { type: "regex", pattern } } },
        transitions: [
          { condition: "slot_filled", target_state: "done" },
          { condition: "fallback", target_state: "done" },
        ],
      },
      done: { type: "response", config: { response_templates: { default: "Thanks." }, end: true } },
    },
  };
}

describe("tenant slot regexes run in linear time", () => {
  it("answers 'not matched' for classic catastrophic patterns on long inputs, and still matches when the input fits", { timeout: DEADLINE_MS + 10_000 }, async () => {
    const a900 = "a".repeat(900);
    const cases = [
      { pattern: "^(a+)+$", input: `${a900}!` },
      { pattern: "(a|aa)+$", input: `${a900}!` },
      { pattern: "^(a|a?)+$", input: `${a900}!` },
      { pattern: "(.*a){20}", input: `${"a".repeat(19)}${"b".repeat(880)}` },
      { pattern: "^(\\w+\\s?)*$", input: `${"word ".repeat(180)}!` },
      { pattern: "^(([a-z])+.)+[A-Z]([a-z])+$", input: `${a900}!` },
      { pattern: "^(a+)+$", input: `${"a".repeat(5000)}!` },
      { pattern: "^(a+)+$", input: a900 },
      { pattern: "(.*a){20}", input: a900 },
    ];
    const results = await checkInChild(cases);
    expect(results.slice(0, 7)).toEqual(Array(7).fill({ ok: false, error: "That doesn't look right." }));
    expect(results.slice(7)).toEqual([
      { ok: true, value: a900 },
      { ok: true, value: a900 },
    ]);
  });

  it("refuses answers longer than the cap without running the pattern", () => {
    expect(check("^a+$", "a".repeat(MAX_MATCHED_INPUT))).toEqual({ ok: true, value: "a".repeat(MAX_MATCHED_INPUT) });
    expect(check("^a+$", "a".repeat(MAX_MATCHED_INPUT + 1))).toMatchObject({ ok: false });
  });

  it("keeps ordinary patterns working, case-insensitively", () => {
    expect(check("^ORD-\\d{4}$", "ORD-1234")).toEqual({ ok: true, value: "ORD-1234" });
    expect(check("^ORD-\\d{4}$", "  ord-1234 ")).toEqual({ ok: true, value: "ord-1234" });
    expect(check("^ORD-\\d{4}$", "ORD-12345")).toMatchObject({ ok: false });
    expect(check("\\b\\d{5}\\b", "my zip is 94107, thanks")).toEqual({ ok: true, value: "94107" });
    expect(check("(?<sku>[A-Z]{3}-\\d+)", "sku abc-42 please")).toEqual({ ok: true, value: "abc-42" });
    expect(check("^[\\w.+-]+@example\\.com$", "Jo.Doe+x@EXAMPLE.com")).toEqual({ ok: true, value: "Jo.Doe+x@EXAMPLE.com" });
  });

  it("compiles a pattern once and reuses it", () => {
    const first = compilePattern("^ORD-\\d{4}$");
    expect(compilePattern("^ORD-\\d{4}$")).toBe(first);
  });
});

describe("validateFlow refuses patterns that need backtracking, naming the state and field", () => {
  const refused: [feature: string, pattern: string, message: RegExp][] = [
    ["a backreference", "(a)\\1", /^Backreferences .* are not supported/],
    ["a named backreference", "(?<x>a)\\k<x>", /^Backreferences .* are not supported/],
    ["a lookahead", "^(?=.*\\d)ORD", /^Lookahead and lookbehind .* are not supported/],
    ["a negative lookahead", "^(?!test)\\w+$", /^Lookahead and lookbehind .* are not supported/],
    ["a lookbehind", "(?<=#)\\d+", /^Lookahead and lookbehind .* are not supported/],
    ["a negative lookbehind", "(?<!x)y", /^Lookahead and lookbehind .* are not supported/],
    ["a possessive quantifier", "a++", /^Invalid regular expression: invalid nested repetition operator/],
    ["an unclosed class", "([a-z", /^Invalid regular expression: /],
    ["an over-long pattern", "a".repeat(MAX_PATTERN_LENGTH + 1), new RegExp(`^Patterns are limited to ${MAX_PATTERN_LENGTH} characters`)],
  ];

  it.each(refused)("refuses %s", (_feature, pattern, message) => {
    const result = validateFlow(flowWithPattern(pattern));
    const said = new RegExp(`^State "collect", pattern of slot "order_id": ${message.source.replace(/^\^/, "")}`);
    expect(result).toMatchObject({ ok: false, issues: [{ code: "invalid_regex", severity: "error", state: "collect", field: "config.validation.order_id.pattern", message: expect.stringMatching(said) }] });
  });

  it("accepts nested quantifiers, which are harmless under linear-time matching, and ordinary patterns", () => {
    for (const pattern of ["^(a+)+$", "^ORD-\\d{4}$", "(?i)^[a-z]{2}\\d{6}$"]) expect([pattern, validateFlow(flowWithPattern(pattern)).ok]).toEqual([pattern, true]);
  });
});
