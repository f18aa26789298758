"use client";
import { Can } from "@/components/auth/can";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { messages } from "@/components/actions/action-text";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { GroupDetailResponse } from "@/lib/contract/pending";
import { formatNumber } from "@/lib/shared/format";
import { useDeleteGroup, useSetGroupId } from "@/lib/hooks/use-group";
import { isValidId, normalizeId } from "@/lib/contract/ids";
import { CreateGroupForm } from "./create-group-form";
import { PublishMessageForm } from "./publish-message-form";
import { ReapConsumers } from "./reap-consumers";
import { encodeSegment } from "@/lib/contract/segment";

/** Admin of one group: move its position, delete it; publish to its stream, add another group. */
export function GroupAdmin({ streamKey, detail }: { streamKey: string; detail: GroupDetailResponse }) {
  return (
    <section aria-labelledby="group-admin-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="group-admin-title" className="text-base font-semibold">
        Group admin
      </h2>
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-3">
          <h3 className="text-sm font-semibold">Move the group&apos;s position</h3>
          <SetIdForm streamKey={streamKey} detail={detail} />
          <h3 className="text-sm font-semibold">Delete the group</h3>
          <Can permission="admin">
            <DeleteGroup streamKey={streamKey} detail={detail} />
          </Can>
        </div>
        <div className="space-y-3">
          <details>
            <summary className="cursor-pointer text-sm font-semibold">Reap dead consumers</summary>
            <div className="pt-2">
              <ReapConsumers streamKey={streamKey} detail={detail} />
            </div>
          </details>
          <details>
            <summary className="cursor-pointer text-sm font-semibold">Publish a message to {streamKey}</summary>
            <div className="pt-2">
              <PublishMessageForm streamKey={streamKey} />
            </div>
          </details>
          <details>
            <summary className="cursor-pointer text-sm font-semibold">Create another group on {streamKey}</summary>
            <div className="pt-2">
              <CreateGroupForm streamKey={streamKey} />
            </div>
          </details>
        </div>
      </div>
    </section>
  );
}

function SetIdForm({ streamKey, detail }: { streamKey: string; detail: GroupDetailResponse }) {
  const [mode, setMode] = useState<"skip" | "replay">("skip");
  const [fromId, setFromId] = useState("0");
  const [confirming, setConfirming] = useState(false);
  const setId = useSetGroupId(streamKey, detail.name);
  const idOk = mode === "skip" || fromId.trim() === "0" || isValidId(fromId.trim());
  const target = mode === "skip" ? "$" : fromId.trim() === "0" ? "0" : idOk ? normalizeId(fromId.trim()) : "";

  function submit(e: FormEvent) {
    e.preventDefault();
    if (idOk) setConfirming(true);
  }

  const consequence =
    mode === "skip"
      ? `The group jumps to the end of the stream: ${detail.lag === null ? "every entry not yet delivered" : `${messages(detail.lag)} not yet delivered`} will never be delivered to this group. Pending messages stay pending.`
      : `The group moves back to ${target}: every entry after it is delivered again to this group's consumers (duplicates of what they already handled). Pending messages stay pending.`;

  return (
    <form onSubmit={submit} aria-label="Move the group's position" className="space-y-2 text-sm">
      <p className="text-xs text-slate-600">
        Now at <span className="font-mono">{detail.lastDeliveredId}</span>
        {detail.lag === null ? " (lag unknown)" : `, lag ${formatNumber(detail.lag)}`}.
      </p>
      <label className="flex items-center gap-2">
        <input type="radio" name="setid-mode" checked={mode === "skip"} onChange={() => setMode("skip")} /> Skip the
        backlog (move to the end, $)
      </label>
      <label className="flex items-center gap-2">
        <input type="radio" name="setid-mode" checked={mode === "replay"} onChange={() => setMode("replay")} /> Replay
        from an id
      </label>
      {mode === "replay" ? (
        <label className="block text-xs text-slate-600">
          Replay entries after id (0 = everything)
          <input
            className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
            value={fromId}
            onChange={(e) => setFromId(e.target.value)}
            aria-invalid={!idOk || undefined}
          />
        </label>
      ) : null}
      <Button type="submit" disabled={!idOk} loading={setId.isPending}>
        {mode === "skip" ? "Skip backlog" : "Replay from id"}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={
          mode === "skip"
            ? `Skip the backlog of group "${detail.name}"?`
            : `Replay group "${detail.name}" from ${target}?`
        }
        confirmLabel={mode === "skip" ? "Skip backlog" : `Replay from ${target}`}
        destructive={mode === "skip"}
        busy={setId.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          setId.mutate(
            { id: target },
            {
              onSuccess: (r) => {
                toast.success(`Group ${detail.name} now at ${r.lastDeliveredId}`);
                setConfirming(false);
              },
              onError: (err) => {
                setConfirming(false);
                toast.error(`Move failed: ${err.message}`);
              },
            },
          )
        }
      >
        <p>{consequence}</p>
      </ConfirmDialog>
    </form>
  );
}

function DeleteGroup({ streamKey, detail }: { streamKey: string; detail: GroupDetailResponse }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteGroup(streamKey, detail.name);
  const router = useRouter();
  return (
    <div className="text-sm">
      <Button variant="danger" onClick={() => setConfirming(true)} aria-label={`Delete group ${detail.name}`}>
        Delete group
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Delete group "${detail.name}"?`}
        confirmLabel={`Delete group ${detail.name}`}
        destructive
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: (r) => {
              toast.success(`Deleted group ${detail.name}; ${messages(r.pendingDropped)} pending dropped`);
              router.push(`/streams/${encodeSegment(streamKey)}`);
            },
            onError: (err) => {
              setConfirming(false);
              toast.error(`Delete group failed: ${err.message}`);
            },
          })
        }
      >
        <p>
          The group, its {formatNumber(detail.consumerCount)} consumers and its position are removed; its{" "}
          <strong>{messages(detail.pending)}</strong> pending are dropped without being acknowledged. Consumers still
          reading with this group get NOGROUP errors. The stream&apos;s entries stay.
        </p>
      </ConfirmDialog>
    </div>
  );
}
