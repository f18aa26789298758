"use client";
import type { ReactElement } from "react";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HistoryRange, HistoryResponse } from "@/lib/api/history-types";
import { formatTime } from "@/lib/format";
import { EmptyState } from "@/components/ui/states";
import { formatTick, isEmptySeries, toChartRows, type ChartRow } from "./history-chart-data";

function ChartFrame({ title, children }: { title: string; children: ReactElement }) {
  return (
    <figure aria-label={title} className="rounded-lg border border-slate-200 bg-white p-3">
      <figcaption className="mb-2 text-sm font-medium text-slate-700">{title}</figcaption>
      <div className="h-48 w-full">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function axes(range: HistoryRange) {
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="#e2e8f0" />,
    <XAxis key="x" dataKey="t" type="number" domain={["dataMin", "dataMax"]} scale="time" tickFormatter={(t: number) => formatTick(t, range)} fontSize={11} />,
    <YAxis key="y" fontSize={11} width={48} />,
    <Tooltip key="tip" labelFormatter={(t) => formatTime(Number(t))} />,
    <Legend key="legend" wrapperStyle={{ fontSize: 12 }} />,
  ];
}

/** The charts of one series: pending and lag, in vs acked per second, oldest pending age. */
export function HistoryCharts({ data, range, showLength }: { data: HistoryResponse; range: HistoryRange; showLength?: boolean }) {
  const rows: ChartRow[] = toChartRows(data.points);
  if (rows.length === 0 || isEmptySeries(rows)) {
    return (
      <EmptyState title="No history yet">
        The worker samples every {Math.round(data.sampleEveryMs / 1000)} s; charts appear after the first samples.
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-500" data-testid="history-sample-count">
        {data.samples} samples, {rows.length} points
      </p>
      <div className="grid gap-3 lg:grid-cols-3">
        <ChartFrame title="Pending and lag">
          <LineChart data={rows}>
            {axes(range)}
            <Line type="monotone" dataKey="pending" name="pending" stroke="#d97706" dot={false} isAnimationActive={false} connectNulls />
            <Line type="monotone" dataKey="lag" name="lag (waiting)" stroke="#2563eb" dot={false} isAnimationActive={false} connectNulls />
            {showLength ? <Line type="monotone" dataKey="length" name="length" stroke="#64748b" dot={false} isAnimationActive={false} /> : null}
          </LineChart>
        </ChartFrame>
        <ChartFrame title="Messages in vs acked per second">
          <LineChart data={rows}>
            {axes(range)}
            <Line type="monotone" dataKey="inRate" name="in /s" stroke="#0f766e" dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="ackRate" name="acked /s" stroke="#7c3aed" dot={false} isAnimationActive={false} />
          </LineChart>
        </ChartFrame>
        <ChartFrame title="Oldest pending age (s)">
          <AreaChart data={rows}>
            {axes(range)}
            <Area type="stepAfter" dataKey="oldestPendingS" name="oldest pending (s)" stroke="#dc2626" fill="#fecaca" isAnimationActive={false} />
          </AreaChart>
        </ChartFrame>
      </div>
    </div>
  );
}
