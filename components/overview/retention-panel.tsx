"use client";
import { ErrorState, Skeleton } from "@/components/ui/states";
import { useFiringAlerts } from "@/lib/hooks/use-alerts";
import { useFamilyRetention } from "@/lib/hooks/use-families";
import { retentionText, type RetentionLine } from "./retention-text";

/** A table row under an open family row: the family's retention check. */
export function RetentionPanelRow({ pattern, colSpan }: { pattern: string; colSpan: number }) {
  return (
    <tr className="border-t border-slate-100 bg-blue-50/30">
      <td colSpan={colSpan} className="px-3 py-2 pl-10">
        <RetentionPanel pattern={pattern} />
      </td>
    </tr>
  );
}

export function RetentionPanel({ pattern }: { pattern: string }) {
  const retention = useFamilyRetention(pattern);
  const alerts = useFiringAlerts().data?.alerts;
  return (
    <section aria-label={`Retention of ${pattern}`} className="space-y-2 text-sm">
      <h3 className="font-medium text-slate-800">Retention</h3>
      {retention.error ? (
        <ErrorState error={retention.error} onRetry={() => void retention.refetch()} />
      ) : !retention.data ? (
        <Skeleton className="h-4 w-64" />
      ) : (
        <RetentionBody text={retentionText(retention.data, alerts)} />
      )}
    </section>
  );
}

function RetentionBody({ text }: { text: ReturnType<typeof retentionText> }) {
  return (
    <>
      <p className="text-slate-600">{text.summary}</p>
      {text.notes.map((n) => (
        <p key={n} className="text-xs text-slate-500">
          {n}
        </p>
      ))}
      <Lines title="At risk" lines={text.atRisk} tone="text-red-700" />
      <Lines title="Without TTL" lines={text.noTtl} tone="text-amber-700" />
      <Lines title="Created by a producer" lines={text.producerCreated} tone="text-amber-700" />
      {text.alerts.length > 0 ? (
        <div>
          <h4 className="text-xs font-medium uppercase text-slate-500">Alerts</h4>
          <ul className="list-disc pl-5">
            {text.alerts.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <h4 className="text-xs font-medium uppercase text-slate-500">Memory by member</h4>
        <table className="text-xs" aria-label="Memory by member">
          <tbody>
            {text.memory.map((m) => (
              <tr key={m.key}>
                {/* A cell, not a row header: the overview finds stream rows by their row header. */}
                <td className="pr-3 text-left font-mono">{m.key}</td>
                <td className="pr-3 text-right tabular-nums">{m.bytes}</td>
                <td className="text-right tabular-nums text-slate-500">{m.share}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Lines({ title, lines, tone }: { title: string; lines: RetentionLine[]; tone: string }) {
  if (lines.length === 0) return null;
  return (
    <div>
      <h4 className="text-xs font-medium uppercase text-slate-500">{title}</h4>
      <ul className="pl-1">
        {lines.map((l) => (
          <li key={l.key}>
            <span className="font-mono">{l.key}</span>: <span className={tone}>{l.text}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
