"use client";
import type { ReactElement } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { HistoryRange, HistoryResponse } from "@/lib/contract/history";
import { formatTime } from "@/lib/shared/format";
import { EmptyState } from "@/components/ui/states";
import {
  formatTimeTick,
  historyChartSpecs,
  isEmptySeries,
  timeTicks,
  toChartRows,
  type ChartRow,
  type ChartSpec,
} from "./history-chart-data";

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

function axes(rows: readonly ChartRow[], spec: ChartSpec) {
  const from = rows[0]?.t ?? 0;
  const to = rows[rows.length - 1]?.t ?? 0;
  const { ticks, stepMs } = timeTicks(from, to);
  return [
    <CartesianGrid key="grid" strokeDasharray="3 3" stroke="#e2e8f0" />,
    <XAxis
      key="x"
      dataKey="t"
      type="number"
      domain={[from, to]}
      scale="time"
      ticks={ticks}
      interval={0}
      tickFormatter={(t: number) => formatTimeTick(t, to - from, stepMs)}
      fontSize={11}
    />,
    <YAxis key="y" fontSize={11} width={48} allowDecimals={!spec.counts} />,
    <Tooltip key="tip" labelFormatter={(t) => formatTime(Number(t))} />,
    <Legend key="legend" wrapperStyle={{ fontSize: 12 }} />,
  ];
}

function Chart({ rows, spec }: { rows: ChartRow[]; spec: ChartSpec }) {
  const type = spec.counts ? "stepAfter" : "monotone";
  if (spec.area) {
    return (
      <AreaChart data={rows}>
        {axes(rows, spec)}
        {spec.series.map((s) => (
          <Area
            key={s.key}
            type="stepAfter"
            dataKey={s.key}
            name={s.name}
            stroke={s.color}
            fill="#fecaca"
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    );
  }
  return (
    <LineChart data={rows}>
      {axes(rows, spec)}
      {spec.series.map((s) => (
        <Line
          key={s.key}
          type={type}
          dataKey={s.key}
          name={s.name}
          stroke={s.color}
          dot={false}
          isAnimationActive={false}
          connectNulls={spec.counts}
        />
      ))}
    </LineChart>
  );
}

/** The charts of one series: pending, lag (and length), in vs acked per second, oldest pending age. */
export function HistoryCharts({
  data,
  showLength,
}: {
  data: HistoryResponse;
  range: HistoryRange;
  showLength?: boolean;
}) {
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
      <div className="grid gap-3 lg:grid-cols-2">
        {historyChartSpecs(showLength ?? false).map((spec) => (
          <ChartFrame key={spec.title} title={spec.title}>
            <Chart rows={rows} spec={spec} />
          </ChartFrame>
        ))}
      </div>
    </div>
  );
}
