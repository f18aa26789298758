"use client";
import { useState, type FormEvent } from "react";
import { useAudit } from "@/lib/hooks/use-audit";
import { useMe } from "@/lib/hooks/use-me";
import { formatNumber } from "@/lib/shared/format";
import { Time } from "@/components/ui/time";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { EmptyState, ErrorState, TableSkeleton } from "@/components/ui/states";
import { auditFiltersToQuery, describeTargets, EMPTY_FILTERS, type AuditFilterForm } from "./audit-filters";

const RESULT_TONE = { ok: "ok", error: "bad", denied: "warn" } as const;
const UNVERIFIED_HELP =
  "Its signature does not match: written or changed in Redis by something other than Streamscope, or signed with another key (a random one from before a restart when auth.sessionSecret is not set).";

export function AuditView() {
  const me = useMe();
  const [form, setForm] = useState<AuditFilterForm>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<AuditFilterForm>(EMPTY_FILTERS);
  const audit = useAudit(auditFiltersToQuery(applied));

  if (me.data && !me.data.canAdmin && me.data.role !== "admin") {
    return <EmptyState title="Admins only">The audit trail is visible to the admin role.</EmptyState>;
  }

  const set = (name: keyof AuditFilterForm) => (e: { target: { value: string } }) =>
    setForm({ ...form, [name]: e.target.value });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(form);
  };
  const entries = audit.data?.pages.flatMap((p) => p.entries) ?? [];
  const input = "rounded border border-slate-300 px-2 py-1 text-sm";

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} aria-label="Filter the audit trail" className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-xs text-slate-600">Trail</span>
          <select className={input} value={form.trail} onChange={set("trail")}>
            <option value="main">Authenticated actions</option>
            <option value="anonymous">Anonymous refusals and failed logins</option>
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-600">Actor</span>
          <input className={input} value={form.actor} onChange={set("actor")} />
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-600">Action</span>
          <input className={input} value={form.action} onChange={set("action")} placeholder="ack, claim, login…" />
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-600">Stream</span>
          <input className={input} value={form.stream} onChange={set("stream")} />
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-600">Result</span>
          <select className={input} value={form.result} onChange={set("result")}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
            <option value="denied">denied</option>
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-600">From</span>
          <input type="datetime-local" className={input} value={form.from} onChange={set("from")} />
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-600">To</span>
          <input type="datetime-local" className={input} value={form.to} onChange={set("to")} />
        </label>
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            setForm(EMPTY_FILTERS);
            setApplied(EMPTY_FILTERS);
          }}
        >
          Clear filters
        </Button>
      </form>

      {audit.isPending ? (
        <TableSkeleton label="Loading the audit trail" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : entries.length === 0 ? (
        <EmptyState title="No audit entries">Nothing recorded matches these filters.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Time</th>
                <th className="px-3 py-2">Who</th>
                <th className="px-3 py-2">Action</th>
                <th className="px-3 py-2">Stream / group</th>
                <th className="px-3 py-2">Targets</th>
                <th className="px-3 py-2">Touched</th>
                <th className="px-3 py-2">Result</th>
                <th className="px-3 py-2">From</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className="border-t border-slate-100 align-top">
                  <td className="whitespace-nowrap px-3 py-1.5">
                    <Time ms={e.time} />
                    {e.verified === false ? (
                      <span className="block">
                        <Badge tone="bad" title={UNVERIFIED_HELP}>
                          unverified
                        </Badge>
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-1.5">
                    {e.who}
                    <span className="block text-xs text-slate-500">
                      {e.role ?? "no role"} · {e.method}
                    </span>
                  </td>
                  <td className="px-3 py-1.5 font-mono text-xs">{e.action}</td>
                  <td className="max-w-xs break-all px-3 py-1.5 font-mono text-xs">
                    {e.stream ?? ""}
                    {e.group ? ` / ${e.group}` : ""}
                  </td>
                  <td className="max-w-xs break-all px-3 py-1.5 font-mono text-xs">{describeTargets(e)}</td>
                  <td className="px-3 py-1.5">
                    {e.touched === null ? "—" : formatNumber(e.touched)}
                    {e.dryRun ? <span className="block text-xs text-slate-500">dry run</span> : null}
                  </td>
                  <td className="px-3 py-1.5">
                    <Badge tone={RESULT_TONE[e.result]} title={e.reason}>
                      {e.result} {e.status}
                    </Badge>
                  </td>
                  <td className="px-3 py-1.5 text-xs text-slate-500">
                    {e.ip}
                    <span className="block max-w-[12rem] truncate" title={e.userAgent}>
                      {e.userAgent}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit.hasNextPage ? (
        <Button onClick={() => void audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
          Load older entries
        </Button>
      ) : null}
    </div>
  );
}
