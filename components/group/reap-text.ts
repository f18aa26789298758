import type { ReapPolicy } from "@/lib/contract/config";
import type { ReapResponse } from "@/lib/contract/reap";
import { formatNumber } from "@/lib/shared/format";

/** The group rule's reapPolicy in words, for the reap dialog. */
export function reapPolicyText(policy: ReapPolicy): string {
  return policy === "requeue"
    ? "requeue: an idle consumer's pending messages are copied back onto the stream as new entries (acked at once), for any consumer to read"
    : "hand over: an idle consumer's pending messages go to a live consumer, delivery counts unchanged";
}

/** What the reaper did, or would do in a dry run, in one sentence. */
export function reapSummary(r: ReapResponse): string {
  const looked = r.consumers.length + r.consumersOmitted;
  if (looked === 0) return "No consumer is inactive that long: nothing to reap.";
  const requeue = r.policy === "requeue";
  const to = r.to ? ` to ${r.to}` : "";
  const nobody = r.to || requeue ? "" : " Nobody is live to take messages: consumers that own some are kept.";
  const more = r.more ? " More idle consumers are left: run it again." : "";
  const scope = r.listed === "all" ? "" : " (only consumers that own pending messages were listed)";
  if (r.dryRun) {
    const moves = requeue
      ? `Would requeue ${formatNumber(r.requeued)} messages`
      : `Would hand ${formatNumber(r.handedOver)} messages${to}`;
    return `${moves} and delete ${formatNumber(r.deleted)} of ${formatNumber(looked)} inactive consumers${scope}.${nobody}${more}`;
  }
  const kept = looked - r.deleted;
  const moved = requeue
    ? `Requeued ${formatNumber(r.requeued)} messages`
    : `Handed ${formatNumber(r.handedOver)} messages${to}`;
  return `${moved}, deleted ${formatNumber(r.deleted)} consumers${kept > 0 ? `, kept ${formatNumber(kept)}` : ""}${scope}.${nobody}${more}`;
}
