"use client";
import type { SettingSource } from "@/lib/contract/settings";
import { countLabel } from "@/components/worker/tick-summary";
import { Field } from "./field";
import { SourceBadge } from "./source-badge";

/** Number fields of an object section (worker, history), each with where its value comes from. */
export function ObjectEditor({
  section,
  draft,
  sources,
  onChange,
}: {
  section: string;
  draft: Record<string, string>;
  sources: Record<string, SettingSource>;
  onChange: (next: Record<string, string>) => void;
}) {
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
      {Object.entries(draft).map(([key, value]) => (
        <div key={key} className="flex items-end gap-2">
          <Field
            label={`${section} ${countLabel(key)}`}
            inputMode="numeric"
            value={value}
            onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
            className="flex-1"
          />
          <SourceBadge source={sources[`${section}.${key}`] ?? "default"} />
        </div>
      ))}
    </div>
  );
}
