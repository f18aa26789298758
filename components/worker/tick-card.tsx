import { Badge } from "@/components/ui/badge";
import type { TickResult } from "@/lib/contract/worker";
import { formatDuration, formatTime } from "@/lib/shared/format";
import { jobCountsText, tickTone } from "./tick-summary";

/** One tick in full (shown under its line in the tick list): who, how long, and per job what it did. */
export function TickCard({ tick }: { tick: TickResult }) {
  const tone = tickTone(tick);
  const ran = tick.jobs.filter((j) => j.ran);
  const notDue = tick.jobs.filter((j) => !j.ran).map((j) => j.name);
  return (
    <article
      aria-label={`Details of the tick at ${formatTime(tick.startedAt)}`}
      className="rounded-lg border border-slate-200 bg-white"
    >
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-4 py-2 text-sm">
        <span className="font-medium">{formatTime(tick.startedAt)}</span>
        <Badge tone={tone}>{tick.status}</Badge>
        {tick.forced ? <Badge tone="info">run now</Badge> : null}
        <span className="text-slate-600">took {formatDuration(tick.durationMs)}</span>
        {tick.waitedMs > 0 ? (
          <span className="text-slate-600">waited {formatDuration(tick.waitedMs)} for the lock</span>
        ) : null}
        <span className="ml-auto font-mono text-xs text-slate-500">{tick.instance}</span>
      </header>
      {tick.message ? <p className="px-4 py-2 text-sm text-amber-800">{tick.message}</p> : null}
      {ran.length ? (
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="px-4 py-1 font-medium">Job</th>
              <th className="px-4 py-1 font-medium">What it did</th>
              <th className="px-4 py-1 font-medium">Duration</th>
            </tr>
          </thead>
          <tbody>
            {ran.map((job) => (
              <tr key={job.name} className="border-t border-slate-100 align-top">
                <td className="px-4 py-1.5 font-mono text-xs">{job.name}</td>
                <td className="px-4 py-1.5">
                  <p>{jobCountsText(job)}</p>
                  {job.error ? (
                    <p role="alert" className="text-red-700">
                      Error: {job.error}
                    </p>
                  ) : null}
                  {(job.findings ?? []).map((f, i) => (
                    <p
                      key={`f${i}`}
                      className={f.severity === "critical" ? "font-medium text-red-700" : "text-amber-800"}
                    >
                      {f.message}
                    </p>
                  ))}
                  {job.notes
                    .filter((n) => !(job.findings ?? []).some((f) => f.message === n))
                    .slice(0, 20)
                    .map((n, i) => (
                      <p key={`n${i}`} className="text-xs text-slate-600">
                        {n}
                      </p>
                    ))}
                </td>
                <td className="px-4 py-1.5 whitespace-nowrap">{formatDuration(job.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {notDue.length ? (
        <p className="border-t border-slate-100 px-4 py-1.5 text-xs text-slate-500">Not due: {notDue.join(", ")}</p>
      ) : null}
    </article>
  );
}
