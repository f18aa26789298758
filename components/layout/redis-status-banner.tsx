"use client";
import { useHealth } from "@/lib/hooks/use-health";

/** Shown on every page while Redis is unreachable or unsupported; hides itself on recovery. */
export function RedisStatusBanner() {
  const { data } = useHealth();
  if (!data || data.status === "ok") return null;
  const unsupported = data.error.code === "UNSUPPORTED_VERSION";
  return (
    <div role="alert" className="border-b border-red-700 bg-red-600 px-4 py-2 text-sm font-medium text-white">
      {unsupported ? "Unsupported Redis version: " : "Redis unavailable: "}
      {data.error.message}
      {unsupported ? "" : ". Data shown may be stale; this banner disappears when the connection is back."}
    </div>
  );
}
