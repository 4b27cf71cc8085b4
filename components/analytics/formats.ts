export const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
export const count = (n: number) => n.toLocaleString("en-US");
export const dollars = (cents: number) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const millis = (ms: number | null) => (ms === null ? "–" : `${count(ms)} ms`);

/** 75 -> "1 min 15 s", 7260 -> "2 h 1 min"; null (nothing measured) -> "–". */
export function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
