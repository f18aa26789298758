import Link from "next/link";
import { EmptyState } from "@/components/ui/states";

export default function StreamNotFound() {
  return (
    <EmptyState title="No such stream">
      <p>The key does not exist (it may have expired or been deleted).</p>
      <Link href="/" className="text-blue-700 hover:underline">
        Back to all streams
      </Link>
    </EmptyState>
  );
}
