"use client";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { isJobEnded, jobRate, type JobDto, type JobStatus } from "@/lib/contract/jobs";
import { useCancelJob } from "@/lib/hooks/use-jobs";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { JOB_VERB, summarizeJobResult, type ActionResultLike } from "./action-text";

const STATUS_TONE: Record<JobStatus, "info" | "warn" | "ok" | "bad" | "neutral"> = {
  running: "info",
  cancelling: "warn",
  cancelled: "warn",
  done: "ok",
  failed: "bad",
  interrupted: "bad",
};

/** What a job did so far, in the words of the action's toast ("Acked 1,200"). */
export function jobSummary(job: JobDto): string {
  if (job.result) return summarizeJobResult(job.action, job.result as ActionResultLike);
  if (job.action === "reap") return `${formatNumber(job.ok)} consumers deleted, ${formatNumber(job.skipped)} kept`;
  return `${formatNumber(job.ok)} done, ${formatNumber(job.skipped)} skipped`;
}

/**
 * One background job: its progress bar (done / total), rate and time left while it runs, a
 * Cancel button with a confirmation (the job stops after its current batch), the final counts
 * once it ended.
 */
export function JobProgress({ job, canCancel = true }: { job: JobDto; canCancel?: boolean }) {
  const cancel = useCancelJob();
  const [confirming, setConfirming] = useState(false);
  const ended = isJobEnded(job.status);
  const total = job.total === null ? null : Math.max(job.total, job.done);
  const { rate, leftMs } = jobRate(job);
  const label = `${JOB_VERB[job.action]} job ${job.id.slice(0, 8)} by ${job.who}`;

  return (
    <div className="space-y-1.5 text-sm" data-job={job.id}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{JOB_VERB[job.action]}</span>
        <span className="text-slate-600">{job.target}</span>
        <span className="text-slate-500">by {job.who}</span>
        <Badge tone={STATUS_TONE[job.status]}>{job.status}</Badge>
      </div>
      <div
        role="progressbar"
        aria-label={`Progress of ${label}`}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={job.done}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        <div
          className={
            job.status === "done" ? "h-full bg-green-600" : ended ? "h-full bg-amber-500" : "h-full bg-blue-600"
          }
          style={{ width: `${total ? Math.min(100, (job.done / total) * 100) : 0}%` }}
        />
      </div>
      <p className="text-slate-700">
        <span data-testid="job-count">
          {formatNumber(job.done)} / {total === null ? "counting…" : formatNumber(total)}
        </span>
        {rate !== null ? (
          <>
            {" "}
            · {formatNumber(Math.round(rate))} {job.action === "reap" ? "consumers" : "msg"}/s
          </>
        ) : null}
        {!ended && leftMs !== null ? <> · {formatDuration(leftMs)} left</> : null}
        {job.pace ? <> · paced at {formatNumber(job.pace)}/s</> : null}
      </p>
      {ended ? (
        <p role="status" className="text-slate-800">
          {job.status === "failed" ? `Failed: ${job.error ?? "unknown error"}. ` : ""}
          {job.status === "interrupted" ? "Its server stopped; nothing is half-done. " : ""}
          Final counts: {jobSummary(job)}
          {job.status === "cancelled" ? " (cancelled)" : ""}
        </p>
      ) : canCancel && job.status === "running" ? (
        confirming ? (
          <div role="group" aria-label="Confirm cancel" className="flex items-center gap-2">
            <span>Stop this job after its current batch? What is done stays done.</span>
            <Button
              size="sm"
              variant="danger"
              loading={cancel.isPending}
              onClick={() =>
                cancel.mutate(job.id, {
                  onSuccess: () => setConfirming(false),
                  onError: (err) => toast.error(`Cancel failed: ${err.message}`),
                })
              }
            >
              Stop job
            </Button>
            <Button size="sm" onClick={() => setConfirming(false)}>
              Keep running
            </Button>
          </div>
        ) : (
          <Button size="sm" aria-label={`Cancel job ${label}`} onClick={() => setConfirming(true)}>
            Cancel
          </Button>
        )
      ) : null}
    </div>
  );
}
