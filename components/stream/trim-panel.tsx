"use client";
import { useState } from "react";
import { Can } from "@/components/auth/can";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { useTrimPreview, useTrimStream } from "@/lib/hooks/use-trim";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { memoryText, trimHeadline } from "./trim-preview-text";

/** "What holds this stream's memory?": every group's hold, the oldest blocker, and a safe trim. */
export function TrimPanel({ streamKey }: { streamKey: string }) {
  const preview = useTrimPreview(streamKey);
  const trim = useTrimStream(streamKey);
  const [confirming, setConfirming] = useState(false);
  const p = preview.data;

  return (
    <section aria-labelledby="trim-heading" className="space-y-2 rounded border border-slate-200 bg-white p-3 text-sm">
      <h2 id="trim-heading" className="text-lg font-semibold">
        What holds this stream&apos;s memory?
      </h2>
      {preview.isPending ? (
        <div role="status" aria-label="Loading trim preview" className="space-y-2">
          <Skeleton />
          <Skeleton />
        </div>
      ) : preview.isError && !p ? (
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
      ) : p ? (
        <>
          <p data-testid="trim-headline">{trimHeadline(p)}</p>
          {memoryText(p) ? <p className="text-slate-600">{memoryText(p)}</p> : null}
          {p.groups.length > 0 ? (
            <DataTable
              label="What each group keeps"
              rows={p.groups}
              rowKey={(g) => g.group}
              columns={[
                { header: "Group", cellClassName: "font-mono", cell: (g) => g.group },
                { header: "Keeps entries from", cellClassName: "font-mono", cell: (g) => g.keepsFrom },
                {
                  header: "Why",
                  cell: (g) =>
                    g.reason === "pending"
                      ? `oldest pending ${g.id}${g.consumer ? `, held by ${g.consumer} for ${formatDuration(g.idleMs ?? 0)}` : ""}`
                      : `has read up to ${g.id}`,
                },
                { header: "Pending", cell: (g) => formatNumber(g.pending) },
                { header: "Lag", cell: (g) => (g.lag === null ? "unknown" : formatNumber(g.lag)) },
              ]}
            />
          ) : null}
          {p.groupCount > p.groups.length ? (
            <p className="text-xs text-slate-500">
              Showing the {p.groups.length} groups that hold the oldest entries of {formatNumber(p.groupCount)}.
            </p>
          ) : null}
          <Can permission="operate">
            <Button
              variant="danger"
              disabled={p.trimmable === 0}
              onClick={() => {
                trim.reset();
                setConfirming(true);
              }}
            >
              Trim {p.exact ? "" : "about "}
              {formatNumber(p.trimmable)} acked entries
            </Button>
          </Can>
          {trim.isSuccess ? (
            <p role="status" className="text-green-800">
              Removed {formatNumber(trim.data.removed)} entries
              {trim.data.threshold ? ` below ${trim.data.threshold}` : ""}. Redis trims whole nodes of entries only, so
              a few acked entries can stay until their node fills.
            </p>
          ) : null}
          <ConfirmDialog
            open={confirming}
            title={`Trim ${streamKey}?`}
            confirmLabel="Trim acked entries"
            destructive
            busy={trim.isPending}
            onCancel={() => setConfirming(false)}
            onConfirm={() => trim.mutate(undefined, { onSuccess: () => setConfirming(false) })}
          >
            <p>{trimHeadline(p)}</p>
            <p>
              Only entries that every group has read and acked are removed (the same rule as the worker&apos;s trim),
              and the rule is checked again inside Redis at the moment of the trim.
            </p>
            {trim.isError ? <ErrorState error={trim.error} /> : null}
          </ConfirmDialog>
        </>
      ) : null}
    </section>
  );
}
