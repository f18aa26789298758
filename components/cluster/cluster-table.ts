import type { ClusterNode } from "@/lib/contract/cluster";
import { encodeSegment } from "@/lib/contract/segment";

/** What a master can carry far more of than the others. */
export type HotMetric = "streams" | "pending" | "ops";

export const HOT_LABELS: Record<HotMetric, string> = {
  streams: "far more streams",
  pending: "far more pending",
  ops: "far more ops/s",
};

/** A master is hot on a metric when it has at least this many times the others' average... */
export const HOT_FACTOR = 2;
/** ...and at least this much (a few streams more on an idle cluster is no hot shard). */
const HOT_MINIMUM: Record<HotMetric, number> = { streams: 20, pending: 50, ops: 100 };

function metric(node: ClusterNode, m: HotMetric): number | null {
  if (m === "ops") return node.opsPerSec;
  if (!node.streams) return null;
  return m === "streams" ? node.streams.count : node.streams.pending;
}

/**
 * Per master address, the metrics on which it carries far more than the other masters (at least
 * HOT_FACTOR times their average and over a minimum): a family pinned to one node by a hash tag,
 * or a hot shard. Needs at least two masters with the number.
 */
export function hotMasters(nodes: readonly ClusterNode[]): Map<string, HotMetric[]> {
  const masters = nodes.filter((n) => n.role === "master");
  const out = new Map<string, HotMetric[]>();
  for (const m of ["streams", "pending", "ops"] as const) {
    const known = masters.filter((n) => metric(n, m) !== null);
    if (known.length < 2) continue;
    for (const node of known) {
      const value = metric(node, m)!;
      const others = known.filter((n) => n !== node);
      const average = others.reduce((t, n) => t + metric(n, m)!, 0) / others.length;
      if (value >= HOT_MINIMUM[m] && value >= HOT_FACTOR * Math.max(average, 1)) {
        out.set(node.address, [...(out.get(node.address) ?? []), m]);
      }
    }
  }
  return out;
}

/** "0-5460, 10923-16383" (a lone slot as one number); "—" for none. */
export function formatSlots(slots: readonly [number, number][]): string {
  if (slots.length === 0) return "—";
  return slots.map(([from, to]) => (from === to ? String(from) : `${from}-${to}`)).join(", ");
}

export function streamHref(key: string): string {
  return `/streams/${encodeSegment(key)}`;
}
