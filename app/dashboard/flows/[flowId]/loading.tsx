import { Skeleton } from "@/components/skeleton";
import styles from "./page.module.css";

/** Shaped like the editor (heading, toolbar, palette, canvas, panel), so nothing jumps when it arrives. */
export default function Loading() {
  return (
    <div className={styles.page} aria-busy="true" aria-label="Loading the flow editor" data-testid="page-skeleton">
      <Skeleton width="18rem" height="1.8rem" />
      <Skeleton height="2.2rem" />
      <div className={styles.skeletonBody}>
        <Skeleton height="100%" />
        <Skeleton height="100%" />
        <Skeleton height="100%" />
      </div>
    </div>
  );
}
