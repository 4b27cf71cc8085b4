// Dates resolve against an injected `now`, in UTC, so results are reproducible.

export type DateMention = { iso: string; start: number; end: number };

const DAY_MS = 86_400_000;
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const MONTH_NAME =
  "january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec";

const ISO = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const RELATIVE = /\b(day after tomorrow|today|tonight|tomorrow|yesterday)\b/gi;
const IN_N = /\bin\s+(\d{1,3}|a|one|two|three)\s+(day|week)s?\b/gi;
const WEEKDAY = /\b(?:(next|this|on)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi;
const MONTH_DAY = new RegExp(`\\b(${MONTH_NAME})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, "gi");
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAME})\\b\\.?(?:,?\\s+(\\d{4})\\b)?`, "gi");

const SMALL_NUMBERS: Record<string, number> = { a: 1, one: 1, two: 2, three: 3 };

function startOfDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function toIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Null for impossible dates such as Feb 30 rather than silently rolling over. */
function calendarDate(year: number, month: number, day: number): number | null {
  const ms = Date.UTC(year, month, day);
  const d = new Date(ms);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month && d.getUTCDate() === day ? ms : null;
}

/** A month and day without a year mean the next such day, today included. */
function monthDay(month: number, day: number, year: string | undefined, today: number): number | null {
  if (year) return calendarDate(Number(year), month, day);
  const thisYear = new Date(today).getUTCFullYear();
  const candidate = calendarDate(thisYear, month, day);
  if (candidate !== null && candidate >= today) return candidate;
  return calendarDate(thisYear + 1, month, day);
}

function monthIndex(name: string): number {
  return MONTHS[name.toLowerCase().slice(0, 3)] ?? 0;
}

export function findDates(text: string, now: Date): DateMention[] {
  const today = startOfDay(now);
  const found: DateMention[] = [];
  const push = (ms: number | null, match: RegExpMatchArray) => {
    if (ms === null) return;
    found.push({ iso: toIso(ms), start: match.index ?? 0, end: (match.index ?? 0) + match[0].length });
  };

  for (const m of text.matchAll(ISO)) push(calendarDate(Number(m[1]), Number(m[2]) - 1, Number(m[3])), m);
  for (const m of text.matchAll(RELATIVE)) {
    const word = (m[1] ?? "").toLowerCase();
    const offset = word === "yesterday" ? -1 : word === "tomorrow" ? 1 : word === "day after tomorrow" ? 2 : 0;
    push(today + offset * DAY_MS, m);
  }
  for (const m of text.matchAll(IN_N)) {
    const raw = (m[1] ?? "").toLowerCase();
    const count = SMALL_NUMBERS[raw] ?? Number(raw);
    push(today + count * ((m[2] ?? "").toLowerCase() === "week" ? 7 : 1) * DAY_MS, m);
  }
  for (const m of text.matchAll(WEEKDAY)) {
    const target = WEEKDAYS.indexOf((m[2] ?? "").toLowerCase());
    const current = new Date(today).getUTCDay();
    let ahead = (target - current + 7) % 7;
    // "next monday" never means today; a bare weekday may.
    if (ahead === 0 && (m[1] ?? "").toLowerCase() === "next") ahead = 7;
    push(today + ahead * DAY_MS, m);
  }
  for (const m of text.matchAll(MONTH_DAY)) push(monthDay(monthIndex(m[1] ?? ""), Number(m[2]), m[3], today), m);
  for (const m of text.matchAll(DAY_MONTH)) push(monthDay(monthIndex(m[2] ?? ""), Number(m[1]), m[3], today), m);

  return found.sort((a, b) => a.start - b.start);
}

export function parseDate(text: string, now: Date): string | null {
  return findDates(text, now)[0]?.iso ?? null;
}
