"use client";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber } from "@/lib/shared/format";

/** "over": every message in the bucket is past the threshold; "partly": the threshold cuts the bucket. */
export type BarState = "ok" | "partly" | "over";

export interface Bucket {
  label: string;
  count: number;
  state: BarState;
}

export const BAR_COLORS: Record<BarState, string> = {
  ok: "#64748b",
  partly: "#d97706",
  over: "#dc2626",
};

/**
 * A histogram of message counts per bucket, the buckets past a threshold in red, with the same
 * numbers in a table (`tableName`, first column `axis`) for screen readers and exact reading.
 */
export function BucketChart({
  bars,
  name,
  tableName,
  axis,
  overWord,
}: {
  bars: readonly Bucket[];
  name: string;
  tableName: string;
  axis: string;
  /** What a bucket past the threshold is called in the table ("stuck", "poison"). */
  overWord: string;
}) {
  return (
    <>
      <div role="img" aria-label={name} className="h-52 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={[...bars]} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} />
            <Tooltip formatter={(v) => [formatNumber(Number(v)), "messages"]} />
            <Bar dataKey="count" isAnimationActive={false}>
              {bars.map((b) => (
                <Cell key={b.label} fill={BAR_COLORS[b.state]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="w-full text-xs" aria-label={tableName}>
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col" className="font-medium">
              {axis}
            </th>
            {bars.map((b) => (
              <th key={b.label} scope="col" className="font-medium">
                {b.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className="text-left font-medium text-slate-500">
              Messages
            </th>
            {bars.map((b) => (
              <td
                key={b.label}
                className={
                  b.state === "over" ? "font-semibold text-red-700" : b.state === "partly" ? "text-amber-700" : ""
                }
              >
                {formatNumber(b.count)}
                {b.state === "over" ? ` (${overWord})` : b.state === "partly" ? ` (partly ${overWord})` : ""}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </>
  );
}
