"use client";
import Link from "next/link";
import { useFiringAlerts } from "@/lib/hooks/use-alerts";
import { bannerText, loudCount } from "./alerts-data";

/** On every page while any alert fires (silenced ones excluded); polls every 5 s. */
export function AlertBanner() {
  const { data, dataUpdatedAt } = useFiringAlerts();
  const n = data ? loudCount(data.alerts, dataUpdatedAt) : 0;
  if (n === 0) return null;
  return (
    <div
      role="status"
      aria-live="polite"
      className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-sm text-amber-900"
    >
      <span className="font-semibold">{bannerText(n, (data?.omitted ?? 0) > 0)}</span>
      <Link href="/alerts" className="ml-3 underline hover:text-amber-950">
        View alerts
      </Link>
    </div>
  );
}
