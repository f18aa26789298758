"use client";
import { Line, LineChart } from "recharts";
import type { RateSummary } from "@/lib/contract/history";
import { formatRate, sparklineRows } from "./history-chart-data";

/**
 * A stream's recent in / acked rate with a tiny trend, for an overview row. Feed it
 * `useStreamRates(visibleKeys).data?.rates[key]` (one request for the whole page).
 */
export function TrendSparkline({
  rate,
  width = 96,
  height = 24,
}: {
  rate: RateSummary | undefined;
  width?: number;
  height?: number;
}) {
  const rows = sparklineRows(rate);
  const label = `In ${formatRate(rate?.inRate)}, acked ${formatRate(rate?.ackRate)} over the last 15 min`;
  return (
    <span className="inline-flex items-center gap-2" title={label}>
      <span role="img" aria-label={label} className="inline-block" style={{ width, height }}>
        {rows.length > 1 ? (
          <LineChart width={width} height={height} data={rows} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
            <Line
              type="monotone"
              dataKey="inRate"
              stroke="#0f766e"
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="ackRate"
              stroke="#7c3aed"
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
          </LineChart>
        ) : null}
      </span>
      <span className="whitespace-nowrap text-xs text-slate-600">
        {formatRate(rate?.inRate)} in · {formatRate(rate?.ackRate)} out
      </span>
    </span>
  );
}
