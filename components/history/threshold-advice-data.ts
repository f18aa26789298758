import type { PendingProfileResponse } from "@/lib/api/history-types";

/** Compares the current threshold with the suggestion (pure; unit-tested). */
export function adviceVerdict(p: PendingProfileResponse): { tone: "ok" | "warn"; text: string } {
  const s = p.suggestedStuckAfterMs;
  if (s === null) return { tone: "ok", text: "" };
  if (p.currentStuckAfterMs < s / 2) return { tone: "warn", text: "The current threshold is tight: healthy messages may be flagged as stuck." };
  if (p.currentStuckAfterMs > s * 4) return { tone: "warn", text: "The current threshold is loose: stuck messages may go unnoticed for a while." };
  return { tone: "ok", text: "The current threshold fits this group's history." };
}
