import { PageSkeleton } from "@/components/skeleton";

export default function Loading() {
  return <PageSkeleton cards={4} lines={5} />;
}
