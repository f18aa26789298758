"use client";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { EmptyState } from "@/components/ui/states";
import { formatNumber } from "@/lib/shared/format";
import { shapeConsumerPending, type ConsumerPendingInput } from "./consumer-pending-data";

/** Pending messages per consumer (dead consumers in red). */
export function ConsumerPendingChart({ consumers }: { consumers: readonly ConsumerPendingInput[] }) {
  const bars = shapeConsumerPending(consumers);
  return (
    <section aria-labelledby="consumer-pending-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="consumer-pending-title" className="text-base font-semibold">
        Pending per consumer
      </h2>
      {bars.length === 0 ? (
        <EmptyState title="No consumer owns pending messages" />
      ) : (
        <figure className="mt-2 space-y-2">
          <div
            role="img"
            aria-label={`Pending messages per consumer: ${bars.map((b) => `${b.name} ${formatNumber(b.pending)}`).join(", ")}`}
            style={{ height: Math.max(120, bars.length * 28 + 40) }}
            className="w-full"
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
                <YAxis type="category" dataKey="name" width={140} tick={{ fontSize: 11 }} />
                <Tooltip formatter={(v) => [formatNumber(Number(v)), "pending"]} />
                <Bar dataKey="pending" isAnimationActive={false}>
                  {bars.map((b) => (
                    <Cell key={b.name} fill={b.dead ? "#dc2626" : b.other ? "#94a3b8" : "#2563eb"} />
                  ))}
                </Bar>
              </BarChart>
            </ResponsiveContainer>
          </div>
          <figcaption className="text-xs text-slate-500">
            Dead consumers in red. Counts are listed in the consumers table.
          </figcaption>
        </figure>
      )}
    </section>
  );
}
