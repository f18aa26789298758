/** Wording of a group's drain (lib/contract/pending.ts `Drain`). Pure; tested in tests/unit/drain-text.test.ts. */
import type { Drain } from "@/lib/contract/pending";
import { formatDuration, formatNumber } from "./format";

/** Entries per second: one decimal under 10, whole numbers above. */
export function formatRate(perSec: number): string {
  const abs = Math.abs(perSec);
  return `${abs < 10 ? (Math.round(abs * 10) / 10).toFixed(1) : formatNumber(Math.round(abs))}/s`;
}

/** "drains in about T", "falling behind by R/s", "caught up" or "steady" (flat lag, or too little history). */
export function drainText(drain: Drain | null): string {
  if (!drain) return "steady";
  if (drain.ratePerSec < 0 || drain.etaMs === null) return `falling behind by ${formatRate(drain.ratePerSec)}`;
  if (drain.etaMs === 0) return "caught up";
  return `drains in about ${formatDuration(drain.etaMs)}`;
}

/** The rate as a hint under the text: "catching up at R/s" / "the lag grows R/s" / why there is none. */
export function drainHint(drain: Drain | null): string {
  if (!drain) return "no change in lag over the last 15 min (or too little history)";
  return drain.ratePerSec > 0
    ? `catching up at ${formatRate(drain.ratePerSec)} (last 15 min of history)`
    : `the lag grows ${formatRate(drain.ratePerSec)} (last 15 min of history)`;
}
