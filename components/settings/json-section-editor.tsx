"use client";
import { useId } from "react";
import { parseJsonDraft } from "./settings-form";

/** A settings section edited as JSON (alert webhooks and rule overrides); the server validates it. */
export function JsonSectionEditor({
  label,
  draft,
  onChange,
  hint,
}: {
  label: string;
  draft: string;
  onChange: (next: string) => void;
  hint?: string;
}) {
  const id = useId();
  const parsed = parseJsonDraft(draft);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <textarea
        id={id}
        value={draft}
        onChange={(e) => onChange(e.target.value)}
        rows={Math.min(24, Math.max(6, draft.split("\n").length + 1))}
        spellCheck={false}
        aria-invalid={!parsed.ok}
        className="w-full rounded border border-slate-300 p-2 font-mono text-xs"
      />
      {parsed.ok ? (
        hint ? (
          <p className="text-xs text-slate-500">{hint}</p>
        ) : null
      ) : (
        <p role="alert" className="text-xs text-red-700">
          Not valid JSON: {parsed.error}
        </p>
      )}
    </div>
  );
}
