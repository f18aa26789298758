/**
 * `GET /api/cluster`: the Redis topology with what each node holds, so a family pinned to one
 * node by a hash tag, or one hot shard, shows at a glance. On a single server, that one server.
 */
import type { DataAge } from "./age";

/** Streams per master read with XINFO for the pending total and the hottest streams. */
export const CLUSTER_STREAMS_READ_CAP = 1_000;
/** Hottest streams listed per master. */
export const CLUSTER_HOTTEST = 5;

export interface HotStream {
  key: string;
  length: number;
  /** Pending messages over all its groups. */
  pending: number;
}

export interface ClusterNode {
  /** The cluster's node id; null on a single server. */
  id: string | null;
  /** host:port */
  address: string;
  role: "master" | "replica";
  /** A replica's master (host:port), when the cluster knows it. */
  masterOf: string | null;
  /** Slot ranges served, inclusive (empty for a replica and on a single server). */
  slots: [number, number][];
  slotCount: number;
  /** The cluster's view (or, for the one server, whether it answered). */
  reachable: boolean;
  /** Masters only (replicas hold copies): null for a replica or a node that did not answer. */
  streams: {
    /** Streams found (the caller's visible ones); a lower bound when `atLeast`. */
    count: number;
    atLeast: boolean;
    /** Pending messages over the streams read (at most CLUSTER_STREAMS_READ_CAP). */
    pending: number;
    /** True when `pending` and `hottest` cover only part of the node's streams. */
    partial: boolean;
    /** Most pending first, then longest; at most CLUSTER_HOTTEST. */
    hottest: HotStream[];
  } | null;
  /** INFO memory `used_memory`; null when the node did not answer. */
  usedMemoryBytes: number | null;
  /** INFO stats `instantaneous_ops_per_sec`; null when the node did not answer. */
  opsPerSec: number | null;
  /** Why the node's numbers are missing (its INFO or SCAN failed). */
  error?: string;
}

export interface ClusterResponse extends DataAge {
  mode: "single" | "cluster";
  /** Masters first (by address), each master's replicas after it. */
  nodes: ClusterNode[];
}
