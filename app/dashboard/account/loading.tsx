import { PageSkeleton } from "@/components/skeleton";

export default function Loading() {
  return <PageSkeleton cards={1} lines={4} />;
}
