import { TableSkeleton } from "@/components/ui/states";

export default function Loading() {
  return <TableSkeleton rows={8} label="Loading stream" />;
}
