"use client";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { Tile } from "@/components/ui/tile";
import { formatAgo, formatDuration, formatTime } from "@/lib/shared/format";
import { useWorkerStatus } from "@/lib/hooks/use-worker";
import { RunNowButton } from "./run-now-button";
import { TickList } from "./tick-list";

export function WorkerView() {
  const status = useWorkerStatus();
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Worker</h1>
        <RunNowButton />
      </div>
      {status.isPending ? (
        <TableSkeleton label="Loading worker status" />
      ) : status.isError ? (
        <ErrorState error={status.error} onRetry={() => void status.refetch()} />
      ) : (
        <>
          <p className="text-xs text-slate-500">
            This instance: <span className="font-mono">{status.data.instance}</span>
          </p>
          <section aria-label="Worker status" className="grid grid-cols-2 gap-3 md:grid-cols-4">
            <Tile
              label="Scheduler"
              value={status.data.scheduler.enabled ? "On" : "Off"}
              hint={
                status.data.scheduler.enabled
                  ? `every ${formatDuration(status.data.scheduler.intervalMs)}`
                  : "WORKER=off: ticks only on Run now or POST /api/worker"
              }
            />
            <Tile
              label="Next tick"
              value={status.data.scheduler.nextTickAt ? formatAgo(status.data.scheduler.nextTickAt) : "—"}
              hint={status.data.scheduler.lastError ? `last error: ${status.data.scheduler.lastError}` : undefined}
              tone={status.data.scheduler.lastError ? "bad" : "neutral"}
            />
            <Tile
              label="Lock holder"
              value={status.data.lock.holder ?? "free"}
              hint={
                status.data.lock.ttlMs ? `lock expires in ${formatDuration(status.data.lock.ttlMs)}` : "no tick running"
              }
            />
            <Tile
              label="Last tick"
              value={status.data.ticks[0] ? formatAgo(status.data.ticks[0].startedAt) : "never"}
              hint={status.data.ticks[0] ? formatTime(status.data.ticks[0].startedAt) : undefined}
            />
          </section>
          <section aria-labelledby="jobs-heading" className="space-y-2">
            <h2 id="jobs-heading" className="text-lg font-semibold">
              Jobs
            </h2>
            <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-4 py-1 font-medium">Job</th>
                  <th className="px-4 py-1 font-medium">Cadence</th>
                  <th className="px-4 py-1 font-medium">Last run</th>
                  <th className="px-4 py-1 font-medium">Next run</th>
                </tr>
              </thead>
              <tbody>
                {status.data.jobs.map((j) => (
                  <tr key={j.name} className="border-t border-slate-100">
                    <td className="px-4 py-1.5 font-mono text-xs">{j.name}</td>
                    <td className="px-4 py-1.5">
                      {j.cadenceMs ? `every ${formatDuration(j.cadenceMs)}` : "every tick"}
                    </td>
                    <td className="px-4 py-1.5">{formatAgo(j.lastRunAt)}</td>
                    <td className="px-4 py-1.5">
                      {j.nextRunAt === null || j.nextRunAt <= status.dataUpdatedAt
                        ? "next tick"
                        : formatAgo(j.nextRunAt, status.dataUpdatedAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="ticks-heading" className="space-y-3">
            <h2 id="ticks-heading" className="text-lg font-semibold">
              Last ticks
            </h2>
            {status.data.ticks.length === 0 ? (
              <EmptyState title="No tick yet">Press Run now, or wait for the scheduler.</EmptyState>
            ) : (
              <TickList ticks={status.data.ticks} />
            )}
          </section>
        </>
      )}
    </div>
  );
}
