// Runs slot regex validations in a child process, so a pattern that backtracks forever makes the
// parent test fail at its deadline instead of freezing the test worker (a busy regex ignores timers).
import { validateSlotValue } from "@/server/flows/slot-validation";

const chunks: Buffer[] = [];
process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
process.stdin.on("end", () => {
  const cases = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { pattern: string; input: string }[];
  const now = new Date("2026-03-10T12:00:00Z");
  const results = cases.map(({ pattern, input }) => validateSlotValue(input, { type: "regex", pattern }, { now, lists: {} }));
  process.stdout.write(JSON.stringify(results));
});
