"use client";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { newIdempotencyKey } from "@/lib/client/pending";
import { usePublishMessage } from "@/lib/hooks/use-group";

/** Publishes a message (ordered field/value pairs) to a stream, for testing a consumer. */
export function PublishMessageForm({
  streamKey,
  onPublished,
}: {
  streamKey: string;
  onPublished?: (id: string) => void;
}) {
  const [pairs, setPairs] = useState<[string, string][]>([["", ""]]);
  const [confirming, setConfirming] = useState(false);
  // One key per message: sending the same fields again after a failure cannot add it twice.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const publish = usePublishMessage(streamKey);
  const filled = pairs.filter(([name]) => name !== "");
  const invalid = filled.length === 0;

  function update(i: number, part: 0 | 1, value: string) {
    setPairs((prev) => prev.map((p, j) => (j === i ? (part === 0 ? [value, p[1]] : [p[0], value]) : p)));
    setIdempotencyKey(newIdempotencyKey());
  }

  function remove(i: number) {
    setPairs((prev) => prev.filter((_, j) => j !== i));
    setIdempotencyKey(newIdempotencyKey());
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!invalid) setConfirming(true);
  }

  function run() {
    publish.mutate(
      { body: { fields: filled }, idempotencyKey },
      {
        onSuccess: (r) => {
          toast.success(`Published ${r.id} to ${streamKey}`);
          setConfirming(false);
          setPairs([["", ""]]);
          setIdempotencyKey(newIdempotencyKey());
          onPublished?.(r.id);
        },
        onError: (err) => {
          setConfirming(false);
          toast.error(`Publish failed: ${err.message}`);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} aria-label="Publish a message" className="space-y-2 text-sm">
      {pairs.map(([name, value], i) => (
        <div key={i} className="flex items-end gap-2">
          <label className="block flex-1 text-xs text-slate-600">
            Field {i + 1} name
            <input
              className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
              value={name}
              onChange={(e) => update(i, 0, e.target.value)}
            />
          </label>
          <label className="block flex-[2] text-xs text-slate-600">
            Field {i + 1} value
            <input
              className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-sm"
              value={value}
              onChange={(e) => update(i, 1, e.target.value)}
            />
          </label>
          <Button
            size="sm"
            variant="ghost"
            disabled={pairs.length === 1}
            onClick={() => remove(i)}
            aria-label={`Remove field ${i + 1}`}
          >
            Remove
          </Button>
        </div>
      ))}
      <div className="flex gap-2">
        <Button size="sm" onClick={() => setPairs((prev) => [...prev, ["", ""]])}>
          Add field
        </Button>
        <Button type="submit" variant="primary" size="sm" disabled={invalid} loading={publish.isPending}>
          Publish message
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Publish a message to "${streamKey}"?`}
        confirmLabel="Publish message"
        busy={publish.isPending}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
      >
        <p>
          A new entry with {filled.length} {filled.length === 1 ? "field" : "fields"} (
          {filled.map(([n]) => n).join(", ")}) is added to the end of the stream. Every consumer group of the stream
          will deliver it to its consumers.
        </p>
      </ConfirmDialog>
    </form>
  );
}
