"use client";
import { ErrorState } from "@/components/ui/states";

export default function GroupError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={error} onRetry={reset} />;
}
