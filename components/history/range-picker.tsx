"use client";
import clsx from "clsx";
import type { HistoryRange } from "@/lib/contract/history";
import { RANGE_CHOICES } from "./history-chart-data";

export function RangePicker({ value, onChange }: { value: HistoryRange; onChange: (range: HistoryRange) => void }) {
  return (
    <div
      role="group"
      aria-label="History range"
      className="inline-flex overflow-hidden rounded border border-slate-300"
    >
      {RANGE_CHOICES.map((c) => (
        <button
          key={c.range}
          type="button"
          aria-pressed={value === c.range}
          aria-label={`Show the last ${c.label}`}
          onClick={() => onChange(c.range)}
          className={clsx(
            "px-2 py-1 text-xs font-medium",
            value === c.range ? "bg-slate-900 text-white" : "bg-white text-slate-700 hover:bg-slate-100",
          )}
        >
          {c.label}
        </button>
      ))}
    </div>
  );
}
