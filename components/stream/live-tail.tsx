"use client";
import clsx from "clsx";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { StreamEntry } from "@/lib/contract/entries";
import { Button } from "@/components/ui/button";
import { useEntries } from "@/lib/hooks/use-entries";
import { EntriesTable } from "./entry-row";
import {
  addSample,
  applyStates,
  formatRate,
  LIVE_BUFFER_MAX,
  mergeNewest,
  ratePerSecond,
  skippedText,
  stateWindowQuery,
  type RateSample,
} from "./live-tail-buffer";
import { useLiveTail, type LiveMode } from "./live-tail-source";

const STATE_REFRESH_MS = 5000;

const MODE_TEXT: Record<LiveMode, string> = {
  connecting: "Connecting…",
  live: "Live",
  polling: "Live (polling)",
  stopped: "Stopped",
};

/**
 * "Live" on the stream page: new entries as they are added, newest first, at most
 * LIVE_BUFFER_MAX kept. Pausing holds the list still and counts what arrives meanwhile.
 * States of the newest shown entries are re-read every few seconds (the tail cannot see acks).
 */
export function LiveTail({ streamKey, groups }: { streamKey: string; groups: string[] }) {
  const [on, setOn] = useState(false);
  return (
    <section aria-label="Live tail" className="space-y-2">
      {on ? (
        <LivePanel streamKey={streamKey} groups={groups} onStop={() => setOn(false)} />
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <LiveSwitch on={false} onToggle={() => setOn(true)} />
          <span className="text-xs text-slate-500">Show new entries as they are added</span>
        </div>
      )}
    </section>
  );
}

function LiveSwitch({ on, onToggle }: { on: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      onClick={onToggle}
      className="inline-flex items-center gap-2 rounded border border-slate-300 bg-white px-2 py-1 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600"
    >
      <span
        aria-hidden
        className={clsx("relative h-4 w-7 rounded-full transition-colors", on ? "bg-green-600" : "bg-slate-300")}
      >
        <span
          className={clsx(
            "absolute top-0.5 h-3 w-3 rounded-full bg-white transition-all",
            on ? "left-3.5" : "left-0.5",
          )}
        />
      </span>
      Live
    </button>
  );
}

/** Mounted while Live is on: unmounting closes the tail and drops the buffer. */
function LivePanel({ streamKey, groups, onStop }: { streamKey: string; groups: string[]; onStop: () => void }) {
  const [paused, setPaused] = useState(false);
  const [shown, setShown] = useState<StreamEntry[]>([]);
  const [held, setHeld] = useState<{ entries: StreamEntry[]; count: number }>({ entries: [], count: 0 });
  const [skipped, setSkipped] = useState<{ count: number; unknown: boolean }>({ count: 0, unknown: false });
  const [samples, setSamples] = useState<RateSample[]>([]);
  const [since] = useState(() => Date.now());
  const [now, setNow] = useState(since);
  const pausedRef = useRef(paused);
  useEffect(() => {
    pausedRef.current = paused;
  }, [paused]);

  const onEntries = useCallback((entries: StreamEntry[], skippedNow: number | null) => {
    const at = Date.now();
    setSamples((s) => addSample(s, at, entries.length + (skippedNow ?? 0)));
    if (skippedNow !== 0)
      setSkipped((s) => ({ count: s.count + (skippedNow ?? 0), unknown: s.unknown || skippedNow === null }));
    if (pausedRef.current)
      setHeld((h) => ({
        entries: mergeNewest(h.entries, entries),
        count: h.count + entries.length + (skippedNow ?? 0),
      }));
    else setShown((s) => mergeNewest(s, entries));
  }, []);

  const { mode, error } = useLiveTail(streamKey, onEntries);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  // The window whose states are re-read moves every few seconds, not on every batch.
  const [stateWindow, setStateWindow] = useState<ReturnType<typeof stateWindowQuery>>(null);
  const shownRef = useRef(shown);
  useEffect(() => {
    shownRef.current = shown;
  }, [shown]);
  useEffect(() => {
    const timer = setInterval(() => setStateWindow(stateWindowQuery(shownRef.current)), STATE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const states = useEntries(streamKey, stateWindow ?? {}, {
    enabled: stateWindow !== null,
    refetchInterval: STATE_REFRESH_MS,
  });
  const fresher = states.data?.entries;
  const display = useMemo(() => (fresher ? applyStates(shown, fresher) : shown), [shown, fresher]);

  function resume() {
    setShown((s) => mergeNewest(s, held.entries));
    setHeld({ entries: [], count: 0 });
    setPaused(false);
  }

  const rate = ratePerSecond(samples, now, since);
  const tableGroups = groups.length ? groups : Object.keys(display[0]?.states ?? {});

  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <LiveSwitch on onToggle={onStop} />
        <span
          role="status"
          className={clsx("text-sm", mode === "stopped" ? "text-red-700" : "text-slate-600")}
          data-live-mode={mode}
        >
          {MODE_TEXT[mode]}
          {error ? ` — ${error}` : null}
        </span>
        <span className="text-sm tabular-nums text-slate-600" title="New entries per second over the last 10 s">
          {formatRate(rate)}
        </span>
        {paused ? (
          <Button size="sm" variant="primary" onClick={resume}>
            {held.count} new — resume
          </Button>
        ) : (
          <Button size="sm" onClick={() => setPaused(true)} disabled={mode === "stopped"}>
            Pause
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500">
        Newest first; the last {LIVE_BUFFER_MAX} are kept. States of the newest are re-read every{" "}
        {STATE_REFRESH_MS / 1000} s.
        {skippedText(skipped.count, skipped.unknown) ? ` ${skippedText(skipped.count, skipped.unknown)}` : null}
      </p>
      {display.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-3 text-sm text-slate-500">
          Waiting for new entries…
        </p>
      ) : (
        <div className="max-h-[32rem] overflow-y-auto">
          <EntriesTable streamKey={streamKey} entries={display} groups={tableGroups} label="Live entries" />
        </div>
      )}
    </>
  );
}
