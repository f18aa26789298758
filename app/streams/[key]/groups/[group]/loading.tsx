import { Skeleton, TableSkeleton } from "@/components/ui/states";

export default function Loading() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-5 w-64" />
      <Skeleton className="h-8 w-80" />
      <Skeleton className="h-24 w-full" />
      <TableSkeleton label="Loading group" />
    </div>
  );
}
