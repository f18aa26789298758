"use client";
import { Can } from "@/components/auth/can";
import Link from "next/link";
import { useId, useState } from "react";
import { toast } from "sonner";
import { SILENCE_CHOICES, type Alert } from "@/lib/contract/alerts";
import { formatAgo, formatNumber, formatTime } from "@/lib/shared/format";
import { Time } from "@/components/ui/time";
import { useAlerts, useEvaluateAlerts, useSilenceAlert } from "@/lib/hooks/use-alerts";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { alertSubject, linkLabel, omittedText, SEVERITY_TONE, splitAlerts } from "./alerts-data";

/** The alerts page body: firing alerts with silence controls, then recently resolved ones. */
export function AlertsView() {
  const { data, error, isPending, refetch, dataUpdatedAt } = useAlerts();
  const evaluate = useEvaluateAlerts();

  const header = (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-semibold">Alerts</h1>
      <Can permission="operate" everyStream>
        <Button
          loading={evaluate.isPending}
          onClick={() =>
            evaluate.mutate(undefined, {
              onSuccess: (r) => toast.success(`Rules evaluated: ${r.counts.firing ?? 0} firing`),
              onError: (e) => toast.error(`Could not evaluate: ${e.message}`),
            })
          }
        >
          Evaluate alert rules now
        </Button>
      </Can>
    </div>
  );

  if (isPending) {
    return (
      <div className="space-y-4">
        {header}
        <TableSkeleton label="Loading alerts" />
      </div>
    );
  }
  if (error) {
    return (
      <div className="space-y-4">
        {header}
        <ErrorState error={error} onRetry={() => void refetch()} />
      </div>
    );
  }
  const now = dataUpdatedAt;
  const { firing, resolved } = splitAlerts(data.alerts);
  const firingMore = omittedText(firing.length, data.total.firing, "firing");
  const resolvedMore = omittedText(resolved.length, data.total.resolved, "resolved");
  return (
    <div className="space-y-6">
      {header}
      <section aria-labelledby="firing-heading" className="space-y-2">
        <h2 id="firing-heading" className="text-lg font-semibold">
          Firing ({formatNumber(data.total.firing)})
        </h2>
        {firingMore ? <p className="text-sm text-slate-600">{firingMore}</p> : null}
        {firing.length === 0 ? (
          <EmptyState title="No alerts firing">
            Every rule is quiet. Resolved alerts stay listed below for 7 days.
          </EmptyState>
        ) : (
          <AlertTable alerts={firing} now={now} label="Firing alerts" />
        )}
      </section>
      <section aria-labelledby="resolved-heading" className="space-y-2">
        <h2 id="resolved-heading" className="text-lg font-semibold">
          Recently resolved ({formatNumber(data.total.resolved)})
        </h2>
        {resolvedMore ? <p className="text-sm text-slate-600">{resolvedMore}</p> : null}
        {resolved.length === 0 ? (
          <EmptyState title="Nothing resolved recently" />
        ) : (
          <AlertTable alerts={resolved} now={now} label="Resolved alerts" />
        )}
      </section>
    </div>
  );
}

function AlertTable({ alerts, now, label }: { alerts: Alert[]; now: number; label: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-3 py-2">Severity</th>
            <th className="px-3 py-2">Alert</th>
            <th className="px-3 py-2">First seen</th>
            <th className="px-3 py-2">Last seen</th>
            <th className="px-3 py-2">Actions</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <AlertRow key={a.id} alert={a} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AlertRow({ alert: a, now }: { alert: Alert; now: number }) {
  const silenced = a.silencedUntil !== null && a.silencedUntil > now;
  return (
    <tr className="border-t border-slate-100 align-top">
      <td className="px-3 py-2">
        <Badge tone={a.state === "resolved" ? "ok" : SEVERITY_TONE[a.severity]}>
          {a.state === "resolved" ? "resolved" : a.severity}
        </Badge>
      </td>
      <td className="px-3 py-2">
        <p className="font-medium text-slate-900">
          {a.rule}
          <span className="ml-2 font-mono text-xs text-slate-600">
            {a.stream}
            {a.group !== null ? ` / ${a.group}` : ""}
            {a.consumer !== null ? ` / ${a.consumer}` : ""}
          </span>
        </p>
        <p className="text-slate-700">{a.message}</p>
        {silenced ? (
          <p className="text-xs text-slate-500">
            Silenced until <Time ms={a.silencedUntil} />
          </p>
        ) : null}
        {a.resolvedAt !== null && a.state === "resolved" ? (
          <p className="text-xs text-slate-500">Resolved {formatAgo(a.resolvedAt, now)}</p>
        ) : null}
      </td>
      <td className="whitespace-nowrap px-3 py-2 text-slate-600" title={formatTime(a.firstSeen)}>
        {formatAgo(a.firstSeen, now)}
      </td>
      <td className="whitespace-nowrap px-3 py-2 text-slate-600" title={formatTime(a.lastSeen)}>
        {formatAgo(a.lastSeen, now)}
      </td>
      <td className="px-3 py-2">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={a.link} className="text-blue-700 underline hover:text-blue-900">
            {linkLabel(a)}
          </Link>
          {a.state === "firing" ? (
            <Can permission="operate">
              <SilenceControl alert={a} silenced={silenced} />
            </Can>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

function SilenceControl({ alert: a, silenced }: { alert: Alert; silenced: boolean }) {
  const [forMs, setForMs] = useState<number>(SILENCE_CHOICES[1].ms);
  const silence = useSilenceAlert();
  const selectId = useId();
  const subject = alertSubject(a);
  if (silenced) {
    return (
      <Button
        size="sm"
        loading={silence.isPending}
        onClick={() =>
          silence.mutate(
            { id: a.id, forMs: 0 },
            {
              onSuccess: () => toast.success(`Unsilenced ${subject}`),
              onError: (e) => toast.error(`Could not unsilence: ${e.message}`),
            },
          )
        }
      >
        Unsilence {subject}
      </Button>
    );
  }
  return (
    <span className="inline-flex items-center gap-1">
      <label htmlFor={selectId} className="sr-only">
        Choose how long to silence {subject}
      </label>
      <select
        id={selectId}
        value={forMs}
        onChange={(e) => setForMs(Number(e.target.value))}
        className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
      >
        {SILENCE_CHOICES.map((c) => (
          <option key={c.ms} value={c.ms}>
            {c.label}
          </option>
        ))}
      </select>
      <Button
        size="sm"
        loading={silence.isPending}
        onClick={() =>
          silence.mutate(
            { id: a.id, forMs },
            {
              onSuccess: () =>
                toast.success(
                  `Silenced ${subject} for ${SILENCE_CHOICES.find((c) => c.ms === forMs)?.label ?? `${forMs} ms`}`,
                ),
              onError: (e) => toast.error(`Could not silence: ${e.message}`),
            },
          )
        }
      >
        Silence {subject}
      </Button>
    </span>
  );
}
