import type { OverviewSummary } from "@/lib/contract/streams";
import { formatNumber } from "@/lib/shared/format";

/** The filter `match` in words; undefined for every stream ("*"). */
export function matchScope(match: string): string | undefined {
  return match === "*" ? undefined : `Matching ${match}`;
}

/**
 * What the tiles' numbers cover, in words, or undefined when they cover every stream of the
 * filter `match` ("*": every stream) as read just now.
 */
export function summaryScope(
  summary: Pick<OverviewSummary, "discovering" | "complete" | "streamCap" | "rolling">,
  match: string,
): string | undefined {
  const scope = matchScope(match);
  if (summary.discovering) return "Streams found so far (still discovering)";
  const within = scope ? ` ${scope.toLowerCase()}` : "";
  if (summary.rolling) {
    const turn = formatNumber(summary.streamCap);
    return summary.complete
      ? `Every stream${within}, read ${turn} at a time`
      : `${formatNumber(summary.rolling.read)} streams${within} read so far, ${turn} at a time`;
  }
  return summary.complete ? scope : `First ${formatNumber(summary.streamCap)} streams only`;
}
