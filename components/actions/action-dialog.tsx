"use client";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { durationInputText, parseDurationInput } from "@/components/pending/pending-filter";
import { formatNumber } from "@/lib/shared/format";
import { useStreamGroupNames } from "@/lib/hooks/use-group";
import { useActionPreview, usePendingAction, type ActionResult } from "@/lib/hooks/use-pending";
import { useJob, useStartJob } from "@/lib/hooks/use-jobs";
import { isJobEnded } from "@/lib/contract/jobs";
import { jobSummary, JobProgress } from "./job-progress";
import {
  asClaim,
  buildActionBody,
  isAllGroupsRefusal,
  knownCount,
  PACE_CHOICES,
  type ActionRequest,
} from "./action-request";
import {
  ACTION_VERB,
  changedCount,
  confirmLabel,
  describeConsequence,
  DESTRUCTIVE,
  dialogTitle,
  groupsText,
  idsText,
  messages,
  summarizeResult,
  type ActionResultLike,
} from "./action-text";

const NEW_CONSUMER = "\u0000new";

/** More named ids than this run as a background job, as every filter action does. */
export const BACKGROUND_IDS = 1000;

export interface ActionDialogProps {
  streamKey: string;
  group: string;
  request: ActionRequest;
  /** Consumers of the group, for the claim target list. */
  consumers: readonly string[];
  /** The group rule's dead-letter stream, used when the operator names none. */
  defaultDeadLetterTarget: string;
  onClose: () => void;
  onDone?: (result: ActionResult) => void;
}

/**
 * Confirms and runs one message action: says what will change and how many messages (a dry run
 * for filters), asks claim for its target and min idle, warns before a requeue reaches other
 * groups, shows progress while it runs and a summary toast after. Filter actions (and long id
 * lists) run as background jobs: the dialog shows the job's progress; closing it leaves the job
 * running (the group page lists it).
 */
export function ActionDialog({
  streamKey,
  group,
  request: initial,
  consumers,
  defaultDeadLetterTarget,
  onClose,
  onDone,
}: ActionDialogProps) {
  const [request, setRequest] = useState(initial);
  const action = request.action;
  const [consumerChoice, setConsumerChoice] = useState(initial.suggestedConsumer ?? consumers[0] ?? NEW_CONSUMER);
  const [newConsumer, setNewConsumer] = useState("");
  const [minIdleText, setMinIdleText] = useState(durationInputText(initial.suggestedMinIdleMs) || "0");
  const [allGroups, setAllGroups] = useState(false);
  const [dlTarget, setDlTarget] = useState("");
  const [pace, setPace] = useState<number | null>(null);
  const [refusedOnRun, setRefusedOnRun] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const [elapsedS, setElapsedS] = useState(0);
  const mutation = usePendingAction(streamKey, group);
  const startJob = useStartJob(streamKey, group);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId).data?.job ?? null;
  const groupNames = useStreamGroupNames(streamKey, action === "requeue");

  const consumer = consumerChoice === NEW_CONSUMER ? newConsumer.trim() : consumerChoice;
  const minIdleMs = parseDurationInput(minIdleText);
  const isFilter = request.target.kind === "filter";
  // The count of a filter comes from a dry run (recounted when the claim's min idle changes);
  // a requeue always asks one, since the server refuses it up front on a several-groups stream.
  const previewBody = buildActionBody(request, { consumer, minIdleMs: minIdleMs ?? 0 });
  const preview = useActionPreview(
    streamKey,
    group,
    action,
    previewBody,
    (isFilter || action === "requeue") && minIdleMs !== null,
  );
  const refusedForGroups = refusedOnRun || (action === "requeue" && isAllGroupsRefusal(preview.error));
  const countError = preview.error && !refusedForGroups ? preview.error.message : null;
  const matched = isFilter ? (preview.data?.matched ?? null) : knownCount(request);
  const groupCount = groupNames.data?.total ?? null;
  const severalGroups = action === "requeue" && ((groupCount !== null && groupCount > 1) || refusedForGroups);
  const background = isFilter || (request.target.kind === "ids" && request.target.ids.length > BACKGROUND_IDS);
  const body = buildActionBody(request, {
    consumer,
    minIdleMs: minIdleMs ?? 0,
    allGroups: severalGroups && allGroups,
    deadLetterTarget: dlTarget,
    pacePerSecond: background ? (pace ?? undefined) : undefined,
  });
  const busy = mutation.isPending || startJob.isPending;
  const jobEnded = job !== null && isJobEnded(job.status);
  useEffect(() => {
    if (!job || !jobEnded) return;
    const result = (job.result ?? {}) as ActionResultLike;
    const summary = job.result ? summarizeResult(action, result) : jobSummary(job);
    if (job.status === "failed") toast.error(`${ACTION_VERB[action]} failed: ${job.error ?? "unknown error"}`);
    else if (job.status !== "done") toast.warning(`${summary} (${job.status})`);
    else if (changedCount(action, result) === 0)
      toast.warning(`${summary}: nothing changed (already handled by someone else?)`);
    else toast.success(summary);
    onDone?.((job.result ?? {}) as unknown as ActionResult);
    onClose();
    // Once per job: the effect runs when it ends.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobEnded]);
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => setElapsedS((s) => s + 1), 1000);
    return () => clearInterval(timer);
  }, [busy]);

  const claimInvalid = action === "claim" && (consumer === "" || minIdleMs === null || minIdleMs === undefined);
  const blockedByGroups = severalGroups && !allGroups;
  const nothingMatches = matched === 0;
  const confirmDisabled =
    jobId !== null ||
    claimInvalid ||
    blockedByGroups ||
    nothingMatches ||
    (isFilter && matched === null && !countError);

  function onError(err: unknown) {
    if (action === "requeue" && isAllGroupsRefusal(err)) {
      setRefusedOnRun(true);
      return;
    }
    const message = err instanceof Error ? err.message : "The action failed";
    setRunError(message);
    toast.error(`${ACTION_VERB[action]} failed: ${message}`);
  }

  function confirm() {
    setRunError(null);
    setElapsedS(0);
    if (background) {
      startJob.mutate({ action, body }, { onSuccess: (res) => setJobId(res.job.id), onError });
      return;
    }
    mutation.mutate(
      { action, body },
      {
        onSuccess: (result) => {
          const summary = summarizeResult(action, result);
          if (changedCount(action, result) === 0)
            toast.warning(`${summary}: nothing changed (already handled by someone else?)`);
          else toast.success(summary);
          onDone?.(result);
          onClose();
        },
        onError,
      },
    );
  }

  const ids = request.target.kind === "ids" ? request.target.ids : null;
  const scope = ids ? (
    <p>
      {ids.length === 1 ? "Message" : `${messages(ids.length)}:`}{" "}
      <code className="rounded bg-slate-100 px-1 font-mono text-xs break-all">{idsText(ids)}</code> of group &quot;
      {group}&quot;
    </p>
  ) : request.target.kind === "filter" ? (
    <p>
      Messages {request.target.description}:{" "}
      {matched === null ? (
        countError ? (
          <span className="text-red-700">count unavailable ({countError})</span>
        ) : (
          <span className="inline-flex items-center gap-1">
            <Spinner label="Counting matching messages" /> counting…
          </span>
        )
      ) : (
        <strong>{messages(matched)} match</strong>
      )}
    </p>
  ) : null;

  return (
    <ConfirmDialog
      open
      title={dialogTitle(action, ids, matched)}
      confirmLabel={confirmLabel(action, matched)}
      destructive={DESTRUCTIVE[action]}
      busy={busy}
      confirmDisabled={confirmDisabled}
      onConfirm={confirm}
      onCancel={onClose}
    >
      {scope}
      {action === "claim" ? (
        <fieldset className="space-y-2 rounded border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-600">Claim to</legend>
          <label className="block">
            <span className="text-xs text-slate-600">Target consumer</span>
            <select
              className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1"
              value={consumerChoice}
              onChange={(e) => setConsumerChoice(e.target.value)}
            >
              {consumers.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
              <option value={NEW_CONSUMER}>New consumer…</option>
            </select>
          </label>
          {consumerChoice === NEW_CONSUMER ? (
            <label className="block">
              <span className="text-xs text-slate-600">New consumer name</span>
              <input
                className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1"
                value={newConsumer}
                onChange={(e) => setNewConsumer(e.target.value)}
                placeholder="e.g. worker-recovery"
              />
            </label>
          ) : null}
          <label className="block">
            <span className="text-xs text-slate-600">
              Minimum idle (ms, or 30s / 5m / 2h): messages idle for less are left alone
            </span>
            <input
              className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1"
              value={minIdleText}
              onChange={(e) => setMinIdleText(e.target.value)}
              aria-invalid={minIdleMs === null || undefined}
            />
          </label>
        </fieldset>
      ) : null}
      {action === "dead-letter" ? (
        <label className="block">
          <span className="text-xs text-slate-600">
            Dead-letter stream (empty: the group rule&apos;s target, {defaultDeadLetterTarget})
          </span>
          <input
            className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs"
            value={dlTarget}
            onChange={(e) => setDlTarget(e.target.value)}
            placeholder={defaultDeadLetterTarget}
          />
        </label>
      ) : null}
      {background ? (
        <label className="block">
          <span className="text-xs text-slate-600">Pace (a background job; a slower pace spares a busy Redis)</span>
          <select
            aria-label="Pace"
            className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1"
            value={pace === null ? "" : String(pace)}
            onChange={(e) => setPace(e.target.value === "" ? null : Number(e.target.value))}
            disabled={jobId !== null}
          >
            {PACE_CHOICES.map((c) => (
              <option key={c.label} value={c.pace === null ? "" : String(c.pace)}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <p>
        {describeConsequence(action, matched, {
          stream: streamKey,
          group,
          consumer,
          minIdleMs: minIdleMs ?? 0,
          target: dlTarget.trim() || defaultDeadLetterTarget,
          groupCount: groupCount ?? undefined,
        })}
      </p>
      {severalGroups ? (
        <div role="alert" className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
          <p>
            Stream &quot;{streamKey}&quot; is read by{" "}
            {groupCount && groupCount > 1 ? `${formatNumber(groupCount)} groups` : "several groups"}
            {groupNames.data ? ` (${groupsText(groupNames.data)})` : ""}. A requeued copy is a new entry: every group
            gets it, not only &quot;{group}&quot;. Claim hands the messages to another consumer of this group only.
          </p>
          <Button size="sm" onClick={() => setRequest(asClaim(request))} disabled={busy}>
            Claim instead
          </Button>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={allGroups} onChange={(e) => setAllGroups(e.target.checked)} />
            Requeue anyway: every group of the stream gets the copies
          </label>
        </div>
      ) : null}
      {nothingMatches ? <p className="font-medium text-slate-900">Nothing matches: there is nothing to do.</p> : null}
      {job ? (
        <JobProgress job={job} />
      ) : busy ? (
        <p role="status" className="inline-flex items-center gap-2">
          <Spinner /> {ACTION_VERB[action]} in progress
          {matched !== null ? ` (${messages(matched)})` : ""}, {elapsedS} s…
        </p>
      ) : null}
      {runError ? (
        <p role="alert" className="text-red-700">
          {runError}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
