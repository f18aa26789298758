"use client";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { Can } from "@/components/auth/can";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { Spinner } from "@/components/ui/spinner";
import { Time } from "@/components/ui/time";
import type { RedriveMatchFilter, RedriveMatchingResponse } from "@/lib/contract/pending";
import { formatNumber } from "@/lib/shared/format";
import { useEntries } from "@/lib/hooks/use-entries";
import { useRedrive, useRedriveMatching, useRedriveMatchingPreview } from "@/lib/hooks/use-pending";
import { deadLetterRows, distinct, matchCountText, matchingResultText, type DeadLetterRow } from "./dead-letter-data";

/** Newest dead-lettered entries listed (the matching form acts on the whole stream). */
const DEAD_LETTER_PAGE = 100;
const ANY_ORIGIN = "";

const letters = (n: number) => `${formatNumber(n)} ${n === 1 ? "dead letter" : "dead letters"}`;

/**
 * The dead letters view of a stream whose entries are dead-lettered copies (they name their
 * origin stream): per entry where it came from, why, when and after how many deliveries; send
 * one, the selected ones, or all matching an origin and/or reason back to their origin.
 * Shown only when the newest entries include such copies.
 */
export function DeadLetters({ streamKey }: { streamKey: string }) {
  const page = useEntries(streamKey, { order: "desc", count: DEAD_LETTER_PAGE }, { refetchInterval: 10_000 });
  const rows = useMemo(() => deadLetterRows(page.data?.entries ?? [], streamKey), [page.data, streamKey]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<DeadLetterRow[] | null>(null);
  const redrive = useRedrive(streamKey);

  if (rows.length === 0) return null;
  const chosen = rows.filter((r) => selected.has(r.id));

  function confirm(targets: DeadLetterRow[]) {
    redrive.mutate(
      { ids: targets.map((r) => r.id), origins: distinct(targets.map((r) => r.origin)) },
      {
        onSuccess: (res) => {
          const skipped = res.skipped > 0 ? `, ${formatNumber(res.skipped)} skipped (already moved?)` : "";
          if (res.redriven === 0) toast.warning(`Nothing was sent back${skipped}`);
          else toast.success(`Sent ${letters(res.redriven)} back to their origin${skipped}`);
          setSelected(new Set());
        },
        onError: (err) => toast.error(`Sending back failed: ${err.message}`),
        onSettled: () => setConfirming(null),
      },
    );
  }

  return (
    <section aria-labelledby="dead-letters-heading" className="space-y-3">
      <h2 id="dead-letters-heading" className="text-lg font-semibold">
        Dead letters
      </h2>
      <p className="text-sm text-slate-600">
        {formatNumber(rows.length)} dead-lettered {rows.length === 1 ? "copy" : "copies"} among the newest{" "}
        {formatNumber(page.data?.entries.length ?? 0)} entries, newest first. Sending one back adds it to its origin
        stream with its fields and metadata (delivery counting continues) and removes it here, atomically.
      </p>

      <Can permission="operate">
        <RedriveMatchingForm
          streamKey={streamKey}
          origins={distinct(rows.map((r) => r.origin))}
          reasons={distinct(rows.map((r) => r.reason))}
        />
        <div className="flex items-center gap-2">
          <Button size="sm" disabled={chosen.length === 0} onClick={() => setConfirming(chosen)}>
            Send back selected ({formatNumber(chosen.length)})
          </Button>
        </div>
      </Can>

      <div className="overflow-x-auto rounded border border-slate-200">
        <DataTable
          label="Dead-lettered messages"
          density="regular"
          rows={rows}
          rowKey={(r) => r.id}
          rowClassName="align-top"
          rowData={(r) => ({ "data-dead-letter-id": r.id })}
          selection={{
            selected,
            onChange: setSelected,
            allLabel: "Select every dead letter listed",
            rowLabel: (r) => `Select dead letter ${r.id}`,
          }}
          columns={[
            { header: "Id", cellClassName: "whitespace-nowrap font-mono text-xs", cell: (r) => r.id },
            {
              header: "Origin stream",
              cellClassName: "font-mono text-xs break-all",
              cell: (r) => (
                <>
                  <Link href={`/streams/${encodeURIComponent(r.origin)}`} className="text-blue-700 hover:underline">
                    {r.origin}
                  </Link>
                  {r.originId ? <span className="block text-slate-500">was {r.originId}</span> : null}
                </>
              ),
            },
            { header: "Group", cellClassName: "font-mono text-xs break-all", cell: (r) => r.group ?? "—" },
            { header: "Reason", cellClassName: "break-words", cell: (r) => r.reason ?? "—" },
            {
              header: "Dead-lettered",
              cellClassName: "whitespace-nowrap text-xs",
              cell: (r) => <Time ms={r.deadLetteredAt} />,
            },
            {
              header: "Deliveries",
              numeric: true,
              cell: (r) => (r.deliveries === null ? "—" : formatNumber(r.deliveries)),
            },
            {
              header: <span className="sr-only">Actions</span>,
              cell: (r) => (
                <Can permission="operate">
                  <Button size="sm" aria-label={`Send back ${r.id}`} onClick={() => setConfirming([r])}>
                    Send back
                  </Button>
                </Can>
              ),
            },
          ]}
        />
      </div>

      <ConfirmDialog
        open={confirming !== null}
        title={
          confirming?.length === 1 ? "Send this dead letter back?" : `Send ${letters(confirming?.length ?? 0)} back?`
        }
        confirmLabel={`Send back ${letters(confirming?.length ?? 0)}`}
        busy={redrive.isPending}
        onConfirm={() => confirming && confirm(confirming)}
        onCancel={() => setConfirming(null)}
      >
        <p>
          {confirming?.length === 1 ? (
            <>
              Entry <span className="font-mono">{confirming[0]!.id}</span> goes back to{" "}
              <span className="font-mono break-all">{confirming[0]!.origin}</span>
            </>
          ) : (
            <>
              They go back to{" "}
              <span className="font-mono break-all">
                {distinct((confirming ?? []).map((r) => r.origin)).join(", ")}
              </span>
            </>
          )}{" "}
          and leave this dead-letter stream, each exactly once.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/**
 * "Redrive all matching": an origin (from those listed) and/or a reason; the dialog counts the
 * matches with a dry run first, then walks the whole dead-letter stream in bounded requests.
 */
function RedriveMatchingForm({
  streamKey,
  origins,
  reasons,
}: {
  streamKey: string;
  origins: string[];
  reasons: string[];
}) {
  const [origin, setOrigin] = useState(ANY_ORIGIN);
  const [reason, setReason] = useState("");
  const [contains, setContains] = useState(false);
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<RedriveMatchingResponse | null>(null);
  const preview = useRedriveMatchingPreview(streamKey);
  const run = useRedriveMatching(streamKey);

  const filter: RedriveMatchFilter = {
    ...(origin !== ANY_ORIGIN ? { origin } : {}),
    ...(reason.trim() !== ""
      ? { reason: reason.trim(), ...(contains ? { reasonMatch: "contains" as const } : {}) }
      : {}),
  };
  const empty = filter.origin === undefined && filter.reason === undefined;
  const { mutate: count, reset: resetCount } = preview;
  useEffect(() => {
    if (open) count({ filter });
    // Counted once per opening: the filter cannot change while the dialog is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  function close() {
    setOpen(false);
    setProgress(null);
    resetCount();
  }

  function confirm() {
    run.mutate(
      { filter, origins: filter.origin ? [filter.origin] : origins, onPage: setProgress },
      {
        onSuccess: (res) => {
          if (res.redriven === 0) toast.warning(`${matchingResultText(res)}: nothing changed`);
          else toast.success(matchingResultText(res));
        },
        onError: (err) => toast.error(`Redrive all matching failed: ${err.message}`),
        onSettled: close,
      },
    );
  }

  const described = [
    filter.origin !== undefined ? `from ${filter.origin}` : null,
    filter.reason !== undefined ? `with a reason ${contains ? "containing" : "of"} “${filter.reason}”` : null,
  ]
    .filter(Boolean)
    .join(" and ");

  return (
    <>
      <form
        aria-labelledby="redrive-matching-heading"
        className="space-y-2 rounded border border-slate-200 p-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!empty) setOpen(true);
        }}
      >
        <h3 id="redrive-matching-heading" className="text-sm font-semibold">
          Redrive all matching
        </h3>
        <div className="flex flex-wrap items-end gap-3 text-sm">
          <label className="block">
            <span className="text-xs text-slate-600">Origin stream</span>
            <select
              className="mt-0.5 block rounded border border-slate-300 px-2 py-1 font-mono text-xs"
              value={origin}
              onChange={(e) => setOrigin(e.target.value)}
            >
              <option value={ANY_ORIGIN}>Any origin</option>
              {origins.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="text-xs text-slate-600">Reason</span>
            <input
              className="mt-0.5 block rounded border border-slate-300 px-2 py-1"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              list="dead-letter-reasons"
              placeholder={reasons[0] ?? "e.g. max deliveries"}
              maxLength={500}
            />
            <datalist id="dead-letter-reasons">
              {reasons.map((r) => (
                <option key={r} value={r} />
              ))}
            </datalist>
          </label>
          <label className="flex items-center gap-1.5 pb-1">
            <input type="checkbox" checked={contains} onChange={(e) => setContains(e.target.checked)} />
            <span className="text-xs text-slate-600">Reason contains the text</span>
          </label>
          <Button type="submit" size="sm" disabled={empty}>
            Send back all matching…
          </Button>
        </div>
        {empty ? <p className="text-xs text-slate-500">Choose an origin stream, a reason, or both.</p> : null}
      </form>

      <ConfirmDialog
        open={open}
        title="Send back all matching dead letters?"
        confirmLabel="Send back all matching"
        busy={run.isPending}
        confirmDisabled={!preview.data || preview.data.matched === 0}
        onConfirm={confirm}
        onCancel={close}
      >
        <p>Dead letters {described}:</p>
        {preview.data ? (
          <p role="status">
            <strong>{matchCountText(preview.data)}</strong>
          </p>
        ) : preview.error ? (
          <p role="alert" className="text-red-700">
            Count unavailable: {preview.error.message}
          </p>
        ) : (
          <p className="inline-flex items-center gap-1">
            <Spinner label="Counting matching dead letters" /> counting…
          </p>
        )}
        <p>
          Each goes back to its origin stream and leaves this dead-letter stream, exactly once; the whole stream is read
          in bounded steps.
        </p>
        {preview.data?.matched === 0 ? <p className="font-medium text-slate-900">Nothing matches.</p> : null}
        {run.isPending ? (
          <p role="status" className="inline-flex items-center gap-2">
            <Spinner /> Sending back…{" "}
            {progress ? `${letters(progress.redriven)} so far, ${formatNumber(progress.scanned)} entries read` : ""}
          </p>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
