"use client";
import { Can } from "@/components/auth/can";
import { useState } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/states";
import type { ConsumerRow } from "@/lib/contract/pending";
import { formatDuration, formatNumber } from "@/lib/shared/format";
import { useDeleteConsumer } from "@/lib/hooks/use-group";
import { messages } from "@/components/actions/action-text";

export interface ConsumersTableProps {
  streamKey: string;
  group: string;
  consumers: readonly ConsumerRow[];
  stuckAfterMs: number;
  /** "pending-owners": the group is over the server's consumer cap, only owners of pending are listed. */
  listed?: "all" | "pending-owners" | "oldest-pending-owners";
  /** Consumers of the group not listed. */
  omitted?: number;
  /** "Claim from <name>": fills the explorer's filter with the consumer and opens the claim. */
  onClaimFrom: (consumer: string) => void;
}

export function ConsumersTable({
  streamKey,
  group,
  consumers,
  stuckAfterMs,
  listed = "all",
  omitted = 0,
  onClaimFrom,
}: ConsumersTableProps) {
  const [toDelete, setToDelete] = useState<ConsumerRow | null>(null);
  const remove = useDeleteConsumer(streamKey, group);
  const sorted = [...consumers].sort(
    (a, b) => Number(b.dead) - Number(a.dead) || b.pending - a.pending || (a.name < b.name ? -1 : 1),
  );

  return (
    <section aria-labelledby="consumers-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="consumers-title" className="text-base font-semibold">
        Consumers
      </h2>
      <p className="mb-2 text-xs text-slate-500">
        Dead: owns pending messages and inactive for longer than the stuck threshold ({formatDuration(stuckAfterMs)}).
      </p>
      {listed !== "all" && (
        <div
          role="note"
          aria-label="Consumers not listed"
          className="mb-2 rounded border border-slate-200 bg-slate-50 p-2 text-sm"
        >
          <p className="font-medium">{formatNumber(omitted)} more consumers, mostly idle</p>
          <p className="text-xs text-slate-600">
            This group has too many consumers to list them all without slowing Redis down: only those owning pending
            messages are shown, most pending first
            {listed === "oldest-pending-owners"
              ? " (those owning the oldest 10,000 pending messages; counts among those)"
              : ""}
            ; the others own nothing pending. Idle times are not read for a group this large; &quot;dead&quot; is judged
            from the idle time of each listed consumer&apos;s oldest pending message.
          </p>
        </div>
      )}
      {sorted.length === 0 && listed !== "all" ? null : sorted.length === 0 ? (
        <EmptyState title="No consumers">Nobody has read from this group yet.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <DataTable
            label="Consumers"
            density="regular"
            rows={sorted}
            rowKey={(c) => c.name}
            columns={[
              { header: "Name", cellClassName: "break-all font-mono text-xs", cell: (c) => c.name },
              { header: "Pending", numeric: true, cell: (c) => formatNumber(c.pending) },
              { header: "Idle", numeric: true, cell: (c) => formatDuration(c.idleMs) },
              {
                header: "Inactive",
                numeric: true,
                cell: (c) =>
                  c.inactiveMs !== null ? formatDuration(c.inactiveMs) : c.idleMs === null ? "unknown" : "never",
              },
              {
                header: "Status",
                cell: (c) =>
                  c.dead ? (
                    <Badge tone="bad" title="Owns pending messages and inactive longer than the stuck threshold">
                      dead
                    </Badge>
                  ) : c.pending === 0 ? (
                    <Badge>no pending</Badge>
                  ) : (
                    <Badge tone="ok">active</Badge>
                  ),
              },
              {
                header: "Actions",
                cell: (c) => (
                  <div className="flex flex-wrap gap-1">
                    <Can permission="operate">
                      <Button
                        size="sm"
                        disabled={c.pending === 0}
                        onClick={() => onClaimFrom(c.name)}
                        aria-label={`Claim from ${c.name}`}
                      >
                        Claim from…
                      </Button>
                    </Can>
                    <Can permission="admin">
                      <Button
                        size="sm"
                        variant="danger"
                        onClick={() => setToDelete(c)}
                        aria-label={`Delete consumer ${c.name}`}
                      >
                        Delete consumer
                      </Button>
                    </Can>
                  </div>
                ),
              },
            ]}
          />
        </div>
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={`Delete consumer "${toDelete?.name ?? ""}"?`}
        confirmLabel={`Delete consumer ${toDelete?.name ?? ""}`}
        destructive
        busy={remove.isPending}
        onCancel={() => setToDelete(null)}
        onConfirm={() => {
          if (!toDelete) return;
          remove.mutate(toDelete.name, {
            onSuccess: (r) => {
              toast.success(
                `Deleted consumer ${toDelete.name}; ${messages(r.pendingDropped)} dropped from the pending list`,
              );
              setToDelete(null);
            },
            onError: (err) => toast.error(`Delete consumer failed: ${err.message}`),
          });
        }}
      >
        {toDelete && toDelete.pending > 0 ? (
          <p>
            <strong>{messages(toDelete.pending)}</strong> pending for this consumer will be dropped from the
            group&apos;s pending list (XGROUP DELCONSUMER): nobody acknowledges them and no consumer reading new
            messages will see them again. Claim them to another consumer first if they still need processing.
          </p>
        ) : (
          <p>The consumer owns no pending messages; only its name is removed.</p>
        )}
      </ConfirmDialog>
    </section>
  );
}
