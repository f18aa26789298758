import type { GroupHold, TrimPreviewResponse } from "@/lib/contract/trim";
import { formatBytes, formatDuration, formatNumber } from "@/lib/shared/format";

/** Why a group keeps its entries, in one sentence. */
export function holdText(hold: GroupHold, keptAlive: number): string {
  if (hold.reason === "pending") {
    const who = hold.consumer ? `consumer ${hold.consumer} has held it for ${formatDuration(hold.idleMs ?? 0)}` : "";
    return `group ${hold.group} has not acked id ${hold.id}${who ? ` (${who})` : ""}`;
  }
  return `group ${hold.group} has not read past id ${hold.id}: its lag keeps ${formatNumber(keptAlive)} entries alive`;
}

/** The panel's headline: what a trim would remove and what stops the rest. */
export function trimHeadline(p: TrimPreviewResponse): string {
  if (p.groupCount === 0) return "No consumer groups: a trim keeps every entry of a stream without groups.";
  if (p.length === 0) return "No entries: nothing to trim.";
  const count = `${p.exact ? "" : "about "}${formatNumber(p.trimmable)}`;
  if (!p.blocker) return `All ${formatNumber(p.length)} entries are acked by every group and can be trimmed safely.`;
  const kept = p.length - p.trimmable;
  const start = p.trimmable > 0 ? `${count} entries can be trimmed safely` : "Nothing can be trimmed safely";
  return `${start}; the oldest blocker: ${holdText(p.blocker, kept)}.`;
}

/** "Uses 12 MB; a trim would free about 3 MB" (null when MEMORY USAGE is not allowed). */
export function memoryText(p: TrimPreviewResponse): string | null {
  if (p.memoryBytes === null) return null;
  const freed = p.trimmable > 0 ? `; a trim would free about ${formatBytes(p.freedBytesEstimate)}` : "";
  return `The stream uses about ${formatBytes(p.memoryBytes)}${freed}.`;
}
