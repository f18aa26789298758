"use client";
import { Button } from "@/components/ui/button";
import { Field } from "./field";
import { emptyRule, type RuleDraft } from "./settings-form";

export function RulesEditor({ drafts, onChange }: { drafts: RuleDraft[]; onChange: (next: RuleDraft[]) => void }) {
  const set = (i: number, patch: Partial<RuleDraft>) =>
    onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-600">
        First match wins (stream glob, then group glob); empty fields take the defaults: stuck after 30,000 ms, policy
        alert, 5 deliveries, dead-letter to &lt;stream&gt;:dlq, no trim, no reaping, reaping hands messages over.
      </p>
      {drafts.map((d, i) => {
        const who = `rule ${i + 1}`;
        return (
          <fieldset
            key={i}
            className="grid grid-cols-2 items-end gap-2 rounded border border-slate-200 p-3 md:grid-cols-6"
          >
            <legend className="px-1 text-xs font-medium text-slate-500">
              {who}: {d.stream} / {d.group}
            </legend>
            <Field
              label={`Stream glob of ${who}`}
              value={d.stream}
              onChange={(e) => set(i, { stream: e.target.value })}
            />
            <Field label={`Group glob of ${who}`} value={d.group} onChange={(e) => set(i, { group: e.target.value })} />
            <Field
              label={`Stuck after ms of ${who}`}
              inputMode="numeric"
              placeholder="30000"
              value={d.stuckAfterMs}
              onChange={(e) => set(i, { stuckAfterMs: e.target.value })}
            />
            <label className="flex flex-col gap-0.5 text-xs text-slate-600">
              <span>Policy</span>
              <select
                aria-label={`Policy of ${who}`}
                value={d.policy}
                onChange={(e) => set(i, { policy: e.target.value as RuleDraft["policy"] })}
                className="rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
              >
                <option value="">default (alert)</option>
                <option value="alert">alert</option>
                <option value="reassign">reassign</option>
                <option value="requeue">requeue</option>
              </select>
            </label>
            <Field
              label={`Max deliveries of ${who}`}
              inputMode="numeric"
              placeholder="5"
              value={d.maxDeliveries}
              onChange={(e) => set(i, { maxDeliveries: e.target.value })}
            />
            <Field
              label={`Dead-letter target of ${who}`}
              placeholder="<stream>:dlq"
              value={d.deadLetter}
              onChange={(e) => set(i, { deadLetter: e.target.value })}
            />
            <Field
              label={`Reassign to consumer of ${who}`}
              placeholder="live consumer with fewest pending"
              value={d.reassignTo}
              onChange={(e) => set(i, { reassignTo: e.target.value })}
            />
            <Field
              label={`Reap consumers inactive ms of ${who}`}
              inputMode="numeric"
              placeholder="off"
              value={d.reapAfterMs}
              onChange={(e) => set(i, { reapAfterMs: e.target.value })}
            />
            <label className="flex flex-col gap-0.5 text-xs text-slate-600">
              <span>Reaped consumers&apos; messages</span>
              <select
                aria-label={`Reaped consumers' messages, ${who}`}
                value={d.reapPolicy}
                onChange={(e) => set(i, { reapPolicy: e.target.value as RuleDraft["reapPolicy"] })}
                className="rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
              >
                <option value="">default (hand-over)</option>
                <option value="hand-over">hand-over</option>
                <option value="requeue">requeue</option>
              </select>
            </label>
            <label className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                aria-label={`Trim acked entries of ${who}`}
                checked={d.trim}
                onChange={(e) => set(i, { trim: e.target.checked })}
              />
              trim acked
            </label>
            <label className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                aria-label={`Requeue to all groups of ${who}`}
                checked={d.allGroups}
                onChange={(e) => set(i, { allGroups: e.target.checked })}
              />
              allGroups
            </label>
            <div className="md:col-span-3">
              <Button size="sm" variant="ghost" onClick={() => onChange(drafts.filter((_, j) => j !== i))}>
                Remove {who}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <Button size="sm" onClick={() => onChange([...drafts, { ...emptyRule }])}>
        Add group rule
      </Button>
    </div>
  );
}
