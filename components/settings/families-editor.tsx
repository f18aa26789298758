"use client";
import { Button } from "@/components/ui/button";
import { Field } from "./field";
import { emptyFamily, type FamilyDraft } from "./settings-form";

export function FamiliesEditor({
  drafts,
  onChange,
}: {
  drafts: FamilyDraft[];
  onChange: (next: FamilyDraft[]) => void;
}) {
  const set = (i: number, patch: Partial<FamilyDraft>) =>
    onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <div className="space-y-3">
      {drafts.length === 0 ? <p className="text-sm text-slate-600">No families: the worker rotates nothing.</p> : null}
      {drafts.map((d, i) => {
        const who = d.name || `family ${i + 1}`;
        return (
          <fieldset
            key={i}
            className="grid grid-cols-2 items-end gap-2 rounded border border-slate-200 p-3 md:grid-cols-7"
          >
            <legend className="px-1 text-xs font-medium text-slate-500">{who}</legend>
            <Field label={`Name of ${who}`} value={d.name} onChange={(e) => set(i, { name: e.target.value })} />
            <Field
              label={`Pattern of ${who}`}
              value={d.pattern}
              onChange={(e) => set(i, { pattern: e.target.value })}
              className="md:col-span-2"
            />
            <Field
              label={`Groups of ${who}`}
              value={d.groups}
              placeholder="g1, g2"
              onChange={(e) => set(i, { groups: e.target.value })}
            />
            <Field
              label={`TTL seconds of ${who}`}
              inputMode="numeric"
              value={d.ttlSeconds}
              onChange={(e) => set(i, { ttlSeconds: e.target.value })}
            />
            <Field
              label={`Periods ahead of ${who}`}
              inputMode="numeric"
              value={d.ahead}
              onChange={(e) => set(i, { ahead: e.target.value })}
            />
            <Field
              label={`Time zone of ${who}`}
              value={d.timeZone}
              onChange={(e) => set(i, { timeZone: e.target.value })}
            />
            <div className="col-span-2 md:col-span-7">
              <Button size="sm" variant="ghost" onClick={() => onChange(drafts.filter((_, j) => j !== i))}>
                Remove {who}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <Button size="sm" onClick={() => onChange([...drafts, { ...emptyFamily }])}>
        Add family
      </Button>
    </div>
  );
}
