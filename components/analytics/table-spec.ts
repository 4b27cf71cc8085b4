/** Plain data a chart section renders (passed from the Server Component to the client one). */
export type Cell = string | number | null;
export type TableRow = { cells: Cell[]; /** Per cell: where it links (the inbox, a transcript), aligned with cells. */ hrefs?: (string | null)[] };
export type ChartSeries = { key: string; label: string; color: string };
export type ChartSpec = {
  kind: "stacked-bars" | "lines" | "horizontal-bars";
  categoryKey: string;
  series: ChartSeries[];
  data: Record<string, Cell>[];
  /** Per data item: where a click on a series' bar leads ("*" for any series). */
  links?: Record<string, string>[];
  unit?: string;
};
export type TableSpec = { id: string; title: string; explanation: string; caption: string; columns: string[]; rows: TableRow[]; chart: ChartSpec | null; empty: string; fileName: string; more?: { href: string; label: string } };
