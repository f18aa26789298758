/** Shaping for the poison radar: pure, no React, tested in tests/unit/poison-radar-data.test.ts. */
import type { Bucket } from "@/components/ui/bucket-chart";
import type { DeliveriesResponse, DeliveryBucket } from "@/lib/contract/deliveries";
import { formatNumber } from "@/lib/shared/format";

/** A bucket is over when every count in it is above `over`; partly when `over` falls inside it. */
export function deliveryBars(buckets: readonly DeliveryBucket[], over: number): Bucket[] {
  return buckets.map((b) => ({
    label: b.label,
    count: b.count,
    state: b.from > over ? "over" : b.to === null || b.to > over ? "partly" : "ok",
  }));
}

/** The radar's headline for someone on call: is anything being delivered again and again? */
export function radarHeadline(d: DeliveriesResponse): string {
  if (d.total === 0) return "Nothing pending.";
  const about = d.exact ? "" : "about ";
  if (d.overCount === 0)
    return `No message delivered more than ${formatNumber(d.over)} times (highest: ${formatNumber(d.maxDeliveries)}).`;
  const word = d.overCount === 1 ? "message was" : "messages were";
  return `${about}${formatNumber(d.overCount)} ${word} delivered more than ${formatNumber(d.over)} times (highest: ${formatNumber(d.maxDeliveries)}): possible poison messages.`;
}
