const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];
const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "2 minutes ago", "yesterday", "just now": rendered on the server, so it reads the same in the first HTML as after hydration. */
export function timeAgo(at: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - at.getTime()) / 1000);
  if (seconds < 45) return "just now";
  const [unit, size] = UNITS.find(([, s]) => seconds >= s) ?? UNITS.at(-1)!;
  return format.format(-Math.max(1, Math.round(seconds / size)), unit);
}
