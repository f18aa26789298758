import "server-only";
import type Redis from "ioredis";
import type { ActionItem } from "@/lib/api/pending-types";

/**
 * Requeue and dead-letter of named pending ids, one Lua script per batch of at most 500 ids.
 * Reused by the worker's reclaim job. (Contract stub: implementation follows.)
 */
export interface RequeueIdsInput {
  stream: string;
  group: string;
  ids: readonly string[];
  reason?: string;
  /** Required when the stream has more than one group (the copy reaches every group). */
  allGroups?: boolean;
}

export interface RequeueIdsResult {
  requeued: number;
  skipped: number;
  items: ActionItem[];
}

export interface DeadLetterIdsInput {
  stream: string;
  group: string;
  ids: readonly string[];
  /** Target stream key; default `<stream>:dlq` (or the group rule's deadLetter). */
  target?: string;
  reason?: string;
}

export interface DeadLetterIdsResult {
  moved: number;
  skipped: number;
  target: string;
  items: ActionItem[];
}

export async function requeueIds(redis: Redis, input: RequeueIdsInput): Promise<RequeueIdsResult> {
  void redis;
  void input;
  throw new Error("requeueIds: not implemented yet");
}

export async function deadLetterIds(redis: Redis, input: DeadLetterIdsInput): Promise<DeadLetterIdsResult> {
  void redis;
  void input;
  throw new Error("deadLetterIds: not implemented yet");
}
