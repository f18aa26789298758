import type { PendingProfileResponse } from "@/lib/contract/history";
import { formatDuration } from "@/lib/shared/format";

/** Compares the current threshold with the suggestion (pure; unit-tested). */
export function adviceVerdict(p: PendingProfileResponse): { tone: "ok" | "warn"; text: string } {
  if (p.raiseHeldBack) {
    const n = p.stuckNow.count;
    return {
      tone: "warn",
      text: `${n}${p.stuckNow.capped ? "+" : ""} message${n === 1 ? " is" : "s are"} stuck now (idle up to ${formatDuration(p.stuckNow.maxIdleMs)}): no higher threshold is suggested while ${n === 1 ? "it is" : "they are"} stuck, it would hide ${n === 1 ? "it" : "them"}.`,
    };
  }
  const s = p.suggestedStuckAfterMs;
  if (s === null) return { tone: "ok", text: "" };
  if (p.currentStuckAfterMs < s / 2)
    return { tone: "warn", text: "The current threshold is tight: healthy messages may be flagged as stuck." };
  if (p.currentStuckAfterMs > s * 4)
    return { tone: "warn", text: "The current threshold is loose: stuck messages may go unnoticed for a while." };
  return { tone: "ok", text: "The current threshold fits this group's history." };
}

/** What the advice rests on: "12 acked messages seen in 360 samples over the last 1 h". */
export function adviceBasis(p: PendingProfileResponse): string {
  const acked = `${p.ackedObservations} acked message${p.ackedObservations === 1 ? "" : "s"}`;
  const samples = `${p.basedOnSamples} sample${p.basedOnSamples === 1 ? "" : "s"}`;
  const span =
    p.windowFrom !== null && p.windowTo !== null && p.windowTo > p.windowFrom
      ? ` over the last ${formatDuration(p.windowTo - p.windowFrom)}`
      : "";
  return `Based on ${acked} seen in ${samples} of this group's history${span}; messages still pending do not count.`;
}
