"use client";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/states";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import { REAP_CONSUMERS_PER_CALL, type ReapBody, type ReapResponse } from "@/lib/contract/reap";
import { isAllGroupsRefusal } from "@/components/actions/action-request";
import { useReapConsumers } from "@/lib/hooks/use-group";
import { useStartReapJob } from "@/lib/hooks/use-jobs";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { reapPolicyText, reapSummary } from "./reap-text";

const MINUTE = 60_000;

/**
 * "Reap dead consumers": consumers inactive over a threshold hand their pending messages to a live
 * consumer, or requeue them (the group rule's reapPolicy), and are deleted once they own nothing.
 * A preview (dry run) first, then a confirmation. With "list every consumer" the confirmed reap
 * runs as a background job, call after call until none is left (the group's jobs panel shows it).
 */
export function ReapConsumers({ streamKey, detail }: { streamKey: string; detail: GroupDetailResponse }) {
  const [minutes, setMinutes] = useState(Math.max(60, Math.ceil((detail.stuckAfterMs * 10) / MINUTE)));
  const [to, setTo] = useState("");
  const [bulk, setBulk] = useState(false);
  const [allGroups, setAllGroups] = useState(false);
  const [preview, setPreview] = useState<ReapResponse | null>(null);
  const [confirming, setConfirming] = useState(false);
  const reap = useReapConsumers(streamKey, detail.name);
  const startJob = useStartReapJob(streamKey, detail.name);
  const overCap = detail.consumersListed !== "all";
  const requeue = detail.reapPolicy === "requeue";
  const body = (dryRun: boolean): ReapBody => ({
    idleMs: Math.max(1000, Math.round(minutes * MINUTE)),
    ...(to && !requeue ? { to } : {}),
    ...(bulk ? { bulk: true } : {}),
    ...(requeue && allGroups ? { allGroups: true } : {}),
    dryRun,
  });
  const askAllGroups = requeue && (allGroups || isAllGroupsRefusal(reap.error));

  return (
    <div className="space-y-2 text-sm">
      <p className="text-slate-600">
        Consumers inactive longer than the threshold give up their pending messages, then are deleted once they own
        nothing. A consumer that touches a message meanwhile keeps everything it owns.
      </p>
      <p data-testid="reap-policy">
        <span className="font-medium">Policy (group rule reapPolicy):</span> {reapPolicyText(detail.reapPolicy)}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col">
          <span>Inactive for at least (minutes)</span>
          <input
            type="number"
            min={0.02}
            step="any"
            value={minutes}
            onChange={(e) => {
              setMinutes(Math.max(0.02, Number(e.target.value) || 0.02));
              setPreview(null);
            }}
            className="w-28 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        {requeue ? null : (
          <label className="flex flex-col">
            <span>Hand messages to</span>
            <select
              value={to}
              onChange={(e) => {
                setTo(e.target.value);
                setPreview(null);
              }}
              className="rounded border border-slate-300 px-2 py-1"
            >
              <option value="">the most recently active consumer</option>
              {detail.consumers.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {askAllGroups ? (
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={allGroups}
              onChange={(e) => {
                setAllGroups(e.target.checked);
                setPreview(null);
              }}
            />
            Requeue anyway: the copies reach every group of the stream (allGroups)
          </label>
        ) : null}
        {overCap ? (
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={bulk}
              onChange={(e) => {
                setBulk(e.target.checked);
                setPreview(null);
              }}
            />
            List every consumer (one slow XINFO CONSUMERS call: finds consumers that own nothing)
          </label>
        ) : null}
        <Button
          loading={reap.isPending && !confirming}
          onClick={() => reap.mutate(body(true), { onSuccess: setPreview })}
        >
          Preview reap
        </Button>
      </div>
      {reap.isError && !confirming ? <ErrorState error={reap.error} /> : null}
      {preview ? (
        <div className="space-y-2 rounded border border-slate-200 p-2" aria-label="Reap preview" role="region">
          <p data-testid="reap-summary">{reapSummary(preview)}</p>
          {preview.consumers.length > 0 ? (
            <table className="w-full text-left text-xs" aria-label="Reap candidates">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-1 pr-2 font-medium">Consumer</th>
                  <th className="py-1 pr-2 font-medium">Pending</th>
                  <th className="py-1 pr-2 font-medium">Inactive</th>
                  <th className="py-1 pr-2 font-medium">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {preview.consumers.map((c) => (
                  <tr key={c.name} className="border-t border-slate-100">
                    <td className="py-1 pr-2 font-mono">{c.name}</td>
                    <td className="py-1 pr-2">{formatNumber(c.pending)}</td>
                    <td className="py-1 pr-2">{c.inactiveMs === null ? "unknown" : formatDuration(c.inactiveMs)}</td>
                    <td className="py-1 pr-2">{c.outcome}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {preview.dryRun && preview.consumers.length > 0 ? (
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Reap {formatNumber(preview.consumers.length + preview.consumersOmitted)} consumers
            </Button>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Reap consumers of ${detail.name}?`}
        confirmLabel="Reap consumers"
        destructive
        busy={reap.isPending || startJob.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          bulk
            ? startJob.mutate(body(false), {
                onSuccess: () => {
                  setPreview(null);
                  setConfirming(false);
                  toast.success("Reap job started: its progress is in the group's jobs panel");
                },
              })
            : reap.mutate(body(false), {
                onSuccess: (res) => {
                  setPreview(res);
                  setConfirming(false);
                },
              })
        }
      >
        {preview ? <p>{reapSummary(preview)}</p> : null}
        <p>Each consumer is checked again inside Redis: one that owns messages it touched recently is kept.</p>
        {bulk ? (
          <p>
            Runs as a background job, {formatNumber(REAP_CONSUMERS_PER_CALL)} consumers a call, until none is left; you
            can cancel it from the jobs panel.
          </p>
        ) : null}
        {reap.isError ? <ErrorState error={reap.error} /> : null}
        {startJob.isError ? <ErrorState error={startJob.error} /> : null}
      </ConfirmDialog>
    </div>
  );
}
