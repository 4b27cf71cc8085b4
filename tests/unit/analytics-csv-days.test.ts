import { describe, expect, it } from "vitest";
import { toCsv } from "@/server/analytics/csv";
import { addDays, dayCount, eachDay, isLocalDay, localDay, rangePresets } from "@/server/analytics/local-days";

describe("analytics CSV", () => {
  it("quotes commas, quotes and line breaks, and defuses spreadsheet formulas", () => {
    const csv = toCsv(["Day", "Text", "Count"], [["2025-03-01", 'said "hi", then left', 3], ["2025-03-02", "=HYPERLINK(\"x\")", 0], ["2025-03-03", "two\nlines", null]]);
    expect(csv).toBe('Day,Text,Count\r\n2025-03-01,"said ""hi"", then left",3\r\n2025-03-02,"\'=HYPERLINK(""x"")",0\r\n2025-03-03,"two\nlines",\r\n');
  });
});

describe("local days", () => {
  it("accepts real dates only", () => {
    expect(["2025-03-01", "2024-02-29"].map(isLocalDay)).toEqual([true, true]);
    expect(["2025-02-29", "2025-13-01", "2025-3-1", "yesterday"].map(isLocalDay)).toEqual([false, false, false, false]);
  });

  it("counts days across a daylight-saving change and month ends", () => {
    expect(dayCount("2025-03-01", "2025-03-31")).toBe(31);
    expect(eachDay("2025-03-08", "2025-03-10")).toEqual(["2025-03-08", "2025-03-09", "2025-03-10"]);
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
  });

  it("takes today's date in the tenant's zone", () => {
    const at = new Date("2025-03-11T03:30:00Z");
    expect(localDay(at, "America/New_York")).toBe("2025-03-10");
    expect(localDay(at, "Asia/Kolkata")).toBe("2025-03-11");
  });

  it("offers the four presets ending today", () => {
    expect(rangePresets("2025-03-15")).toEqual([
      { label: "Last 7 days", from: "2025-03-09", to: "2025-03-15" },
      { label: "Last 30 days", from: "2025-02-14", to: "2025-03-15" },
      { label: "This month", from: "2025-03-01", to: "2025-03-15" },
      { label: "Last month", from: "2025-02-01", to: "2025-02-28" },
    ]);
  });
});
