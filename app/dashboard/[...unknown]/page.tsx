import type { Metadata } from "next";
import { notFound } from "next/navigation";

// Next reads a 404's title from not-found.tsx on its error render path and from the page otherwise; both say the same.
export const metadata: Metadata = { title: "Page not found" };

// An address Next has no page for would get the root 404 (outside the dashboard layout); this
// catch-all ranks below every real dashboard route and hands it to app/dashboard/not-found.tsx.
export default function UnknownDashboardPage(): never {
  notFound();
}
