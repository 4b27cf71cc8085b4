import type { CSSProperties } from "react";

/** Grey placeholder blocks shaped like the page on its way, instead of a loading sentence: no layout jump. */
export function Skeleton({ width = "100%", height = "1rem", style }: { width?: string; height?: string; style?: CSSProperties }) {
  return <span className="skeleton" style={{ width, height, ...style }} />;
}

export function SkeletonCard({ lines = 3 }: { lines?: number }) {
  return (
    <div className="card">
      <Skeleton width="40%" height="1.3rem" style={{ marginBottom: ".9rem" }} />
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} width={i === lines - 1 ? "60%" : "100%"} style={{ marginBottom: ".6rem" }} />
      ))}
    </div>
  );
}

/** A page heading and its cards; `columns` matches pages laid out in .grid2. */
export function PageSkeleton({ cards, lines, columns = 1 }: { cards: number; lines?: number; columns?: 1 | 2 }) {
  const body = Array.from({ length: cards }, (_, i) => <SkeletonCard key={i} lines={lines} />);
  return (
    <div aria-busy="true" aria-label="Loading the page" data-testid="page-skeleton">
      <Skeleton width="14rem" height="2rem" style={{ marginBottom: "1rem", maxWidth: "70%" }} />
      {columns === 2 ? <div className="grid2">{body}</div> : body}
    </div>
  );
}
