"use client";
import { useState } from "react";
import { toast } from "sonner";
import type { StreamEntry } from "@/lib/contract/entries";
import { Can } from "@/components/auth/can";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useRedrive } from "@/lib/hooks/use-pending";
import { originStreamOf } from "./entry-display";

/** "Redrive <id>" on a dead-lettered copy: moves it back to the stream it came from. */
export function RedriveButton({ streamKey, entry }: { streamKey: string; entry: StreamEntry }) {
  const origin = originStreamOf(entry);
  const [open, setOpen] = useState(false);
  const redrive = useRedrive(streamKey);
  if (origin === null) return null;

  function confirm() {
    redrive.mutate(
      { ids: [entry.id], origins: [origin!] },
      {
        onSuccess: (res) => {
          if (res.redriven === 1) toast.success(`Redrove ${entry.id} to ${origin}`);
          else toast.warning(`${entry.id} was not redriven (already moved or no origin stream)`);
        },
        onError: (err) => toast.error(`Redrive failed: ${err.message}`),
        onSettled: () => setOpen(false),
      },
    );
  }

  return (
    <Can permission="operate">
      <Button size="sm" onClick={() => setOpen(true)} loading={redrive.isPending}>
        Redrive {entry.id}
      </Button>
      <ConfirmDialog
        open={open}
        title="Redrive this message?"
        confirmLabel={`Redrive to ${origin}`}
        busy={redrive.isPending}
        onConfirm={confirm}
        onCancel={() => setOpen(false)}
      >
        <p>
          Entry <span className="font-mono">{entry.id}</span> is added back to{" "}
          <span className="font-mono break-all">{origin}</span> (its fields and Streamscope metadata kept, so delivery
          counting continues) and removed from this dead-letter stream (atomically; on a Redis Cluster, an origin in
          another slot in two steps that lose nothing).
        </p>
      </ConfirmDialog>
    </Can>
  );
}
