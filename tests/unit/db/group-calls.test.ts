import { describe, expect, it } from "vitest";
import { groupCalls } from "@/db/group-calls";

/** A statement that answers when the test says so, recording each group it was given. */
function fakeStatement() {
  const groups: number[][] = [];
  const pending: (() => void)[] = [];
  const run = (inputs: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      groups.push(inputs);
      pending.push(() => (inputs.includes(13) ? reject(new Error("refused 13")) : resolve(inputs.map((n) => n * 10))));
    });
  const finishNext = async () => {
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { run, groups, finishNext };
}

describe("grouped calls (group commit)", () => {
  it("runs an idle call at once, and answers the calls made while it is out together, each with its own answer", async () => {
    const s = fakeStatement();
    const call = groupCalls(s.run, 100);
    const first = call(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.groups).toEqual([[1]]);
    const later = [call(2), call(3), call(4)];
    await new Promise((r) => setTimeout(r, 0));
    // Still one statement out: the three wait for it.
    expect(s.groups).toEqual([[1]]);
    await s.finishNext();
    expect(await first).toBe(10);
    expect(s.groups).toEqual([[1], [2, 3, 4]]);
    await s.finishNext();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it("never puts more than maxGroup calls in one statement", async () => {
    const s = fakeStatement();
    const call = groupCalls(s.run, 2);
    const all = [1, 2, 3, 4, 5].map(call);
    await new Promise((r) => setTimeout(r, 0));
    for (let i = 0; i < 3; i++) await s.finishNext();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(s.groups).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("tries a failed group again one call at a time, so only the refused input's caller fails", async () => {
    const s = fakeStatement();
    const call = groupCalls(s.run, 100);
    const results = Promise.allSettled([call(12), call(13), call(14)]);
    await new Promise((r) => setTimeout(r, 0));
    for (let i = 0; i < 4; i++) await s.finishNext();
    expect(await results).toEqual([
      { status: "fulfilled", value: 120 },
      { status: "rejected", reason: new Error("refused 13") },
      { status: "fulfilled", value: 140 },
    ]);
    expect(s.groups).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it("fails every caller of a group at once when the failure is not any input's (the database unreachable)", async () => {
    const groups: number[][] = [];
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const call = groupCalls(
      async (inputs: number[]) => {
        groups.push(inputs);
        if (inputs.length > 1) throw down;
        return inputs;
      },
      100,
      (error) => (error as { code?: string }).code === "ECONNREFUSED",
    );
    const first = call(1);
    await new Promise((r) => setTimeout(r, 0));
    const results = Promise.allSettled([call(2), call(3), call(4)]);
    expect(await first).toBe(1);
    expect((await results).map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });
});
