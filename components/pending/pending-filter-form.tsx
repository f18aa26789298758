"use client";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { isValidId, normalizeId } from "@/lib/contract/ids";
import { durationInputText, parseDurationInput, type ExplorerFilter } from "./pending-filter";

const inputClass = "mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 text-sm";

/**
 * The explorer's filter form. It edits a draft; Apply writes the filter (to the URL). Mount it
 * with `key` set to the applied filter so a change from elsewhere ("Claim from w") resets it.
 */
export function PendingFilterForm({
  filter,
  consumers,
  onApply,
}: {
  filter: ExplorerFilter;
  consumers: readonly string[];
  onApply: (filter: ExplorerFilter) => void;
}) {
  const [consumer, setConsumer] = useState(filter.consumer ?? "");
  const [minIdle, setMinIdle] = useState(durationInputText(filter.minIdleMs));
  const [minDeliveries, setMinDeliveries] = useState(filter.minDeliveries ? String(filter.minDeliveries) : "");
  const [start, setStart] = useState(filter.start ?? "");
  const [end, setEnd] = useState(filter.end ?? "");

  const minIdleMs = parseDurationInput(minIdle);
  const deliveries = minDeliveries.trim() === "" ? undefined : Number(minDeliveries);
  const errors = {
    minIdle: minIdleMs === null ? "Use a duration such as 30s, 5m, 2h or a number of ms" : null,
    minDeliveries:
      deliveries !== undefined && !(Number.isSafeInteger(deliveries) && deliveries >= 0) ? "A whole number" : null,
    start: start.trim() && !isValidId(start.trim()) ? "An id such as 1700000000000-0" : null,
    end: end.trim() && !isValidId(end.trim()) ? "An id such as 1700000000000-0" : null,
  };
  const invalid = Object.values(errors).some(Boolean);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid) return;
    const next: ExplorerFilter = {};
    if (consumer.trim()) next.consumer = consumer.trim();
    if (minIdleMs) next.minIdleMs = minIdleMs;
    if (deliveries) next.minDeliveries = deliveries;
    if (start.trim()) next.start = normalizeId(start.trim());
    if (end.trim()) next.end = normalizeId(end.trim());
    onApply(next);
  }

  const listId = "pending-filter-consumers";
  return (
    <form
      onSubmit={submit}
      aria-label="Filter pending messages"
      className="grid grid-cols-2 gap-2 md:grid-cols-6 md:items-end"
    >
      <label className="block text-xs text-slate-600">
        Consumer
        <input
          className={inputClass}
          data-shortcut="filter"
          list={listId}
          value={consumer}
          onChange={(e) => setConsumer(e.target.value)}
          placeholder="any"
        />
        <datalist id={listId}>
          {consumers.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </label>
      <Field label="Minimum idle" error={errors.minIdle}>
        <input
          className={inputClass}
          value={minIdle}
          onChange={(e) => setMinIdle(e.target.value)}
          placeholder="e.g. 5m"
          aria-invalid={!!errors.minIdle || undefined}
        />
      </Field>
      <Field label="Minimum deliveries" error={errors.minDeliveries}>
        <input
          className={inputClass}
          inputMode="numeric"
          value={minDeliveries}
          onChange={(e) => setMinDeliveries(e.target.value)}
          placeholder="e.g. 3"
          aria-invalid={!!errors.minDeliveries || undefined}
        />
      </Field>
      <Field label="From id" error={errors.start}>
        <input
          className={`${inputClass} font-mono`}
          value={start}
          onChange={(e) => setStart(e.target.value)}
          placeholder="lowest"
          aria-invalid={!!errors.start || undefined}
        />
      </Field>
      <Field label="To id" error={errors.end}>
        <input
          className={`${inputClass} font-mono`}
          value={end}
          onChange={(e) => setEnd(e.target.value)}
          placeholder="highest"
          aria-invalid={!!errors.end || undefined}
        />
      </Field>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={invalid}>
          Apply filter
        </Button>
        <Button type="button" onClick={() => onApply({})}>
          Clear filter
        </Button>
      </div>
    </form>
  );
}

function Field({ label, error, children }: { label: string; error: string | null; children: React.ReactNode }) {
  return (
    <label className="block text-xs text-slate-600">
      {label}
      {children}
      {error ? <span className="text-red-700">{error}</span> : null}
    </label>
  );
}
