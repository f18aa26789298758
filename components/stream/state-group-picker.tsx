"use client";
import { STATE_GROUPS_MAX, type StateGroups } from "@/lib/contract/entries";

/** For a stream with more groups than a page shows states for: which ones are shown, and a choice. */
export function StateGroupPicker({
  groups,
  shown,
  value,
  onChange,
}: {
  groups: string[];
  shown: StateGroups | undefined;
  value: string | undefined;
  onChange: (group: string | undefined) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
      <span role="status">
        {value
          ? `States for group ${value} only`
          : `States for ${shown?.shown.length ?? STATE_GROUPS_MAX} of ${shown?.total ?? groups.length} groups: the ones with the most pending messages`}
      </span>
      <label className="flex items-center gap-1">
        <span>Show states for</span>
        <select
          className="rounded border border-slate-300 px-1 py-0.5"
          value={value ?? ""}
          onChange={(e) => onChange(e.target.value || undefined)}
        >
          <option value="">the busiest {STATE_GROUPS_MAX} groups</option>
          {groups.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
