"use client";
import { Fragment, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { TickResult } from "@/lib/contract/worker";
import { formatDuration, formatTime } from "@/lib/shared/format";
import { TickCard } from "./tick-card";
import { foldTicks, idleLineText, tickTone, type TickLine } from "./tick-summary";

const cell = "px-3 py-1 align-top";

function TickRow({ tick, changes, idle }: { tick: TickResult; changes: string[]; idle?: boolean }) {
  const [open, setOpen] = useState(false);
  const when = formatTime(tick.startedAt);
  return (
    <>
      <tr
        aria-label={`Tick at ${when}`}
        className={idle ? "border-t border-slate-100 bg-slate-50/60 text-slate-500" : "border-t border-slate-100"}
      >
        <td className={`${cell} whitespace-nowrap tabular-nums`}>{when}</td>
        <td className={`${cell} whitespace-nowrap`}>
          <Badge tone={tickTone(tick)}>{tick.status}</Badge> {tick.forced ? <Badge tone="info">run now</Badge> : null}
        </td>
        <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>{formatDuration(tick.durationMs)}</td>
        <td className={cell}>
          {changes.length ? changes.join(" · ") : <span className="text-slate-500">nothing changed</span>}
        </td>
        <td className={`${cell} text-right`}>
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={open}
            aria-label={`${open ? "Hide" : "Show"} details of the tick at ${when}`}
            onClick={() => setOpen(!open)}
          >
            {open ? "Hide" : "Details"}
          </Button>
        </td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={5} className="px-3 pb-2">
            <TickCard tick={tick} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function IdleRows({ line }: { line: Extract<TickLine, { kind: "idle" }> }) {
  const [open, setOpen] = useState(false);
  const text = idleLineText(line);
  const span = line.ticks.length > 1 ? `${formatTime(line.from)} – ${formatTime(line.to)}` : formatTime(line.to);
  return (
    <>
      <tr aria-label={text} className="border-t border-slate-100 text-slate-500">
        <td className={`${cell} whitespace-nowrap tabular-nums`} colSpan={3}>
          {span}
        </td>
        <td className={cell}>{text}: nothing changed</td>
        <td className={`${cell} text-right`}>
          <Button size="sm" variant="ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? `Hide ${text}` : `Show ${text}`}
          </Button>
        </td>
      </tr>
      {open ? line.ticks.map((t) => <TickRow key={t.id} tick={t} changes={[]} idle />) : null}
    </>
  );
}

/** The last ticks, one line each; consecutive idle ticks folded into one expandable line. */
export function TickList({ ticks }: { ticks: readonly TickResult[] }) {
  const lines = foldTicks(ticks);
  return (
    <table aria-label="Last ticks" className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="px-3 py-1 font-medium">Started</th>
          <th className="px-3 py-1 font-medium">Status</th>
          <th className="px-3 py-1 text-right font-medium">Took</th>
          <th className="px-3 py-1 font-medium">What changed</th>
          <th className="px-3 py-1">
            <span className="sr-only">Details</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line) => (
          <Fragment key={line.kind === "tick" ? line.tick.id : `idle-${line.ticks[0]!.id}`}>
            {line.kind === "tick" ? <TickRow tick={line.tick} changes={line.changes} /> : <IdleRows line={line} />}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
