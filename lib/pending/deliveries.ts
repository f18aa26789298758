import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { TOP_POISON, type DeliveriesResponse, type DeliveryBucket } from "@/lib/contract/deliveries";
import { compareIds } from "@/lib/contract/ids";
import type { PendingEntry } from "@/lib/streams/xinfo";
import { requireGroup } from "./group";
import { scaleToTotal } from "./histogram";
import { withEntryState } from "./page";
import { readPelPage, pelCursor } from "./pel";
import { readPelSample } from "./pel-sample";

export const DELIVERY_BUCKETS: readonly Omit<DeliveryBucket, "count">[] = [
  { label: "1", from: 1, to: 1 },
  { label: "2", from: 2, to: 2 },
  { label: "3-5", from: 3, to: 5 },
  { label: "6-10", from: 6, to: 10 },
  { label: "11-20", from: 11, to: 20 },
  { label: "21-50", from: 21, to: 50 },
  { label: "51-100", from: 51, to: 100 },
  { label: "over 100", from: 101, to: null },
];

/** Counts per delivery bucket, scaled to `total` when the rows are a sample. */
export function deliveryBuckets(deliveries: readonly number[], total: number): DeliveryBucket[] {
  const counts = DELIVERY_BUCKETS.map(() => 0);
  for (const d of deliveries) {
    const i = DELIVERY_BUCKETS.findIndex((b) => b.to === null || d <= b.to);
    counts[Math.max(0, i)]! += 1;
  }
  const scaled = deliveries.length === 0 || total === deliveries.length ? counts : scaleToTotal(counts, total);
  return DELIVERY_BUCKETS.map((b, i) => ({ ...b, count: scaled[i] ?? 0 }));
}

/** The most delivered rows, highest first, older ids first among equals. */
export function mostDelivered(rows: readonly PendingEntry[], n = TOP_POISON): PendingEntry[] {
  return [...rows].sort((a, b) => b.deliveries - a.deliveries || compareIds(a.id, b.id)).slice(0, n);
}

/**
 * The poison radar of a group: delivery counts over its PEL (./pel-sample.ts: exact for a small
 * PEL, else sampled and scaled), the most delivered messages with their consumer and a preview,
 * and how many were delivered more than `over` times.
 */
export async function readDeliveries(
  redis: RedisConnection,
  stream: string,
  group: string,
  over: number,
): Promise<DeliveriesResponse> {
  const { group: info } = await requireGroup(redis, stream, group);
  const oldest = info.pending > 0 ? (await readPelPage(redis, pelCursor(stream, group), 1))[0] : undefined;
  const sample = await readPelSample(redis, stream, group, {
    count: info.pending,
    oldestId: oldest?.id ?? null,
    newestId: info.lastDeliveredId,
  });
  const deliveries = sample.rows.map((r) => r.deliveries);
  const overRead = deliveries.filter((d) => d > over).length;
  const top = await withEntryState(redis, stream, mostDelivered(sample.rows), true);
  return {
    buckets: deliveryBuckets(deliveries, sample.total),
    top: top.map((r) => ({
      id: r.id,
      consumer: r.consumer,
      deliveries: r.deliveries,
      idleMs: r.idleMs,
      deleted: r.deleted,
      fields: r.fields ?? null,
      ...(r.fieldsOmitted ? { fieldsOmitted: r.fieldsOmitted } : {}),
    })),
    exact: sample.exact,
    sampled: deliveries.length,
    total: sample.total,
    maxDeliveries: deliveries.reduce((m, d) => Math.max(m, d), 0),
    over,
    overCount:
      sample.exact || deliveries.length === 0 ? overRead : Math.round((overRead * sample.total) / deliveries.length),
  };
}
