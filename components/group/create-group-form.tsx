"use client";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { CreateGroupBody } from "@/lib/contract/pending";
import { useCreateGroup } from "@/lib/hooks/use-group";
import { isValidId, normalizeId } from "@/lib/contract/ids";

type StartChoice = "0" | "$" | "id";

const CONSEQUENCE: Record<StartChoice, string> = {
  "0": "It starts at the beginning: every entry already in the stream will be delivered to its consumers.",
  $: "It starts now: entries already in the stream are skipped; only new ones are delivered.",
  id: "It starts after the given id: later entries already in the stream will be delivered.",
};

/** Creates a consumer group on a stream (mountable on the stream page). */
export function CreateGroupForm({ streamKey, onCreated }: { streamKey: string; onCreated?: (name: string) => void }) {
  const [name, setName] = useState("");
  const [start, setStart] = useState<StartChoice>("0");
  const [fromId, setFromId] = useState("");
  const [mkstream, setMkstream] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const create = useCreateGroup(streamKey);

  const idError = start === "id" && !isValidId(fromId.trim()) ? "An id such as 1700000000000-0" : null;
  const invalid = name.trim() === "" || idError !== null;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!invalid) setConfirming(true);
  }

  function run() {
    const body: CreateGroupBody = {
      name: name.trim(),
      startId: start === "id" ? normalizeId(fromId.trim()) : start,
      ...(mkstream ? { mkstream: true } : {}),
    };
    create.mutate(body, {
      onSuccess: (r) => {
        toast.success(`Created group ${r.name}`);
        setConfirming(false);
        setName("");
        onCreated?.(r.name);
      },
      onError: (err) => {
        setConfirming(false);
        toast.error(`Create group failed: ${err.message}`);
      },
    });
  }

  return (
    <form onSubmit={submit} aria-label="Create a consumer group" className="space-y-2 text-sm">
      <label className="block text-xs text-slate-600">
        Group name
        <input
          className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 text-sm"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <fieldset className="space-y-1">
        <legend className="text-xs text-slate-600">Start position</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="create-group-start" checked={start === "0"} onChange={() => setStart("0")} /> From
          the start (0)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="create-group-start" checked={start === "$"} onChange={() => setStart("$")} /> From
          now ($)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="create-group-start" checked={start === "id"} onChange={() => setStart("id")} /> From
          an id
        </label>
        {start === "id" ? (
          <label className="block text-xs text-slate-600">
            Start after id
            <input
              className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
              value={fromId}
              onChange={(e) => setFromId(e.target.value)}
              aria-invalid={!!idError || undefined}
            />
            {idError && fromId ? <span className="text-red-700">{idError}</span> : null}
          </label>
        ) : null}
      </fieldset>
      <label className="flex items-center gap-2 text-xs text-slate-600">
        <input type="checkbox" checked={mkstream} onChange={(e) => setMkstream(e.target.checked)} /> Create the stream
        if it does not exist
      </label>
      <Button type="submit" variant="primary" disabled={invalid} loading={create.isPending}>
        Create group
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Create group "${name.trim()}"?`}
        confirmLabel={`Create group ${name.trim()}`}
        busy={create.isPending}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
      >
        <p>
          A new consumer group &quot;{name.trim()}&quot; on stream &quot;{streamKey}&quot;. {CONSEQUENCE[start]}
        </p>
      </ConfirmDialog>
    </form>
  );
}
