import type { ReapResponse } from "@/lib/contract/reap";
import { formatNumber } from "@/lib/shared/format";

/** What the reaper did, or would do in a dry run, in one sentence. */
export function reapSummary(r: ReapResponse): string {
  const looked = r.consumers.length + r.consumersOmitted;
  if (looked === 0) return "No consumer is inactive that long: nothing to reap.";
  const to = r.to ? ` to ${r.to}` : "";
  const nobody = r.to ? "" : " Nobody is live to take messages: consumers that own some are kept.";
  const more = r.more ? " More idle consumers are left: run it again." : "";
  const scope = r.listed === "all" ? "" : " (only consumers that own pending messages were listed)";
  if (r.dryRun)
    return `Would hand ${formatNumber(r.handedOver)} messages${to} and delete ${formatNumber(r.deleted)} of ${formatNumber(looked)} inactive consumers${scope}.${nobody}${more}`;
  const kept = looked - r.deleted;
  return `Handed ${formatNumber(r.handedOver)} messages${to}, deleted ${formatNumber(r.deleted)} consumers${kept > 0 ? `, kept ${formatNumber(kept)}` : ""}${scope}.${nobody}${more}`;
}
