/** The demo store's product catalog and orders, behind the demo flow's integration states. */
export type Product = { name: string; category: string; price: number; use_cases: string[] };

const PRODUCTS: Product[] = [
  { name: "DevBook Pro 14", category: "laptop", price: 949, use_cases: ["programming", "office work"] },
  { name: "CodeStation Air 13", category: "laptop", price: 799, use_cases: ["programming", "school", "travel"] },
  { name: "Creator X16", category: "laptop", price: 1899, use_cases: ["video editing", "design", "gaming"] },
  { name: "Blaze G15", category: "laptop", price: 1299, use_cases: ["gaming"] },
  { name: "Pocket One", category: "phone", price: 499, use_cases: ["travel", "photography"] },
  { name: "Studio Buds", category: "headphones", price: 149, use_cases: ["travel", "office work"] },
  { name: "QuietMax 700", category: "headphones", price: 329, use_cases: ["travel"] },
  { name: "View 27 4K", category: "monitor", price: 399, use_cases: ["design", "programming"] },
  { name: "Slate 11", category: "tablet", price: 599, use_cases: ["school", "design"] },
];

export function searchCatalog(query: { category?: unknown; max_price?: unknown; use_case?: unknown }) {
  const maxPrice = Number(query.max_price);
  const items = PRODUCTS.filter(
    (p) =>
      (!query.category || p.category === String(query.category).toLowerCase()) &&
      (!Number.isFinite(maxPrice) || maxPrice <= 0 || p.price <= maxPrice) &&
      (!query.use_case || p.use_cases.includes(String(query.use_case).toLowerCase())),
  )
    .sort((a, b) => a.price - b.price)
    .map((p) => ({ ...p, sku: p.name.toLowerCase().replace(/[^a-z0-9]+/g, "-") }));
  return { items, count: items.length };
}

const STATUSES = ["processing", "shipped", "out for delivery", "delivered", "damaged in transit"] as const;

/** Orders are derived from their number, so any well-formed number has a stable status. */
export function lookupOrder(orderNumber: string) {
  const digits = orderNumber.replace(/\D/g, "");
  if (!digits) return null;
  const n = Number(digits.slice(-6));
  const eta = new Date(Date.UTC(2026, 0, 1) + (n % 300) * 86_400_000).toISOString().slice(0, 10);
  return { order_number: orderNumber, status: STATUSES[n % STATUSES.length], estimated_delivery: eta };
}
