import { PageSkeleton } from "@/components/skeleton";

export default function Loading() {
  return <PageSkeleton cards={3} lines={4} />;
}
