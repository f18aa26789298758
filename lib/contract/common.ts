/**
 * Pieces every resource shares: path parameter schemas, field values, the health answer. Imports
 * only zod and the error module.
 */
import { z } from "zod";
import type { ErrorBody } from "@/lib/errors";

/** Path parameters (apiRoute has already unescaped them). */
export const streamParamsSchema = z.object({ key: z.string().min(1) });
export const groupParamsSchema = streamParamsSchema.extend({ group: z.string().min(1) });
export const consumerParamsSchema = groupParamsSchema.extend({ consumer: z.string().min(1) });
export const entryParamsSchema = streamParamsSchema.extend({ id: z.string().min(1).max(64) });

/** One node of a Redis Cluster, as the cluster sees it. */
export interface ClusterNodeHealth {
  id: string;
  /** host:port */
  address: string;
  role: "master" | "replica";
  /** Slot ranges served, inclusive (empty for a replica). */
  slots: [number, number][];
  reachable: boolean;
}

/**
 * A replica as its master sees it (`INFO replication`): how far behind it is, in bytes of the
 * replication stream not yet acknowledged, and seconds since its last acknowledgement.
 */
export interface ReplicaHealth {
  address: string;
  /** host:port of its master. */
  master: string;
  /** `online` once in sync; `wait_bgsave`, `send_bulk`... while a full sync runs. */
  state: string;
  lagBytes: number;
  lagSeconds: number;
}

/** A Sentinel deployment: the master the sentinels name now, and each sentinel. */
export interface SentinelHealth {
  name: string;
  /** host:port, as the first sentinel that answered names it. */
  master: string | null;
  sentinels: { address: string; reachable: boolean }[];
}

/**
 * `mode`: "standalone", "cluster" (`nodes`) or "sentinel" (`sentinel`). `readFrom` is
 * REDIS_READ_FROM; `replicas` (cluster and Sentinel) says how stale a replica read can be.
 */
export type HealthResponse =
  | {
      status: "ok";
      redis: {
        version: string;
        mode: string;
        flavor: string;
        nodes?: ClusterNodeHealth[];
        sentinel?: SentinelHealth;
        readFrom?: "master" | "replica";
        replicas?: ReplicaHealth[];
      };
    }
  | { status: "error"; error: ErrorBody["error"] };

/** A field value: a string when it is valid UTF-8, else its bytes in base64. */
export type FieldValue = string | { base64: string };
export type FieldPair = [FieldValue, FieldValue];

/**
 * A value longer than FIELD_VALUE_LIMIT_BYTES, as lists show it: its size in bytes and its first
 * bytes (`preview` when the whole value is UTF-8, else `previewBase64`). The whole value:
 * `GET /api/streams/{key}/entries/{id}`.
 */
export type TruncatedValue = { truncated: true; bytes: number } & ({ preview: string } | { previewBase64: string });
/** A field value in a list answer (entries, search, tail, pending with fields). */
export type ListValue = FieldValue | TruncatedValue;
export type ListFieldPair = [FieldValue, ListValue];

export function isTruncated(v: ListValue): v is TruncatedValue {
  return typeof v === "object" && "truncated" in v;
}
