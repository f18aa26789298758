import "server-only";
import { createHash } from "node:crypto";
import type { ActionItem } from "@/lib/contract/pending";
import { isCluster, type RedisConnection } from "@/lib/redis/connection";
import { keyBeside } from "@/lib/redis/lua";
import { sameSlot } from "@/lib/redis/slots";
import { copyScript, releaseScript, settleScript, SCRIPT_ENTRY_BYTES } from "./scripts";

/**
 * A move whose target is in another cluster slot than its source cannot be one script. It runs in
 * two steps, and loses nothing in between:
 *
 * 1. on the target's slot, each copy (carrying its origin id) is written once, with a marker in
 *    the target's slot naming the copy: a retry after a failure finds the marker and adds no
 *    second copy;
 * 2. on the source's slot, each original still pending (still present, for a redrive) is acked
 *    (deleted) in one script, noting its copy in a marker in the source's slot;
 * 3. on the target's slot, the markers are dropped, and a copy whose original someone else took
 *    meanwhile is deleted (unless a concurrent move of the same message counts on it).
 *
 * A failure between 1 and 2 leaves the original pending and one marked copy: the next run of the
 * same move reuses that copy and acks the original once.
 */

/** How long a copy's marker waits for its move to be run again after a failure between the steps. */
export const MOVE_MARKER_TTL_MS = 24 * 3_600_000;
/** How long a settled original's marker tells a concurrent move of it which copy won. */
export const SETTLED_MARKER_TTL_MS = 10 * 60_000;

/** Whether a move from `source` to `target` runs as one atomic script. */
export function movesAtomically(redis: RedisConnection, source: string, target: string): boolean {
  return !isCluster(redis) || sameSlot([source, target]);
}

export interface TwoStepMove {
  source: string;
  target: string;
  /** `ack`: the originals are pending entries of `group`; `xdel`: entries of a dead-letter stream. */
  mode: "ack" | "xdel";
  group: string;
  /** `[consumer, minIdleMs, minDeliveries]` re-checked in step 2 (mode ack). */
  filter: [string, number, number];
}

/** One original and the fields of its copy. */
export interface CopyPlan {
  id: string;
  fields: readonly (string | Buffer)[];
}

function markerId(move: TwoStepMove, id: string): string {
  return createHash("sha1")
    .update(JSON.stringify([move.mode, move.source, move.group, move.target, id]))
    .digest("hex");
}

/** The marker of an original's copy, in the target's slot. */
export function copyMarkerKey(move: TwoStepMove, id: string): string {
  return keyBeside(move.target, "move-copy", markerId(move, id));
}

function settledMarkerKey(move: TwoStepMove, id: string): string {
  return keyBeside(move.source, "move-settled", markerId(move, id));
}

/** Step 1 alone: writes (or finds) each copy; answers the copy ids in order. */
export async function writeCopies(
  redis: RedisConnection,
  move: TwoStepMove,
  plans: readonly CopyPlan[],
): Promise<string[]> {
  const args: (string | number | Buffer)[] = [MOVE_MARKER_TTL_MS];
  for (const p of plans) args.push(p.fields.length, ...p.fields);
  const reply = (await copyScript.runOnce(
    redis,
    [move.target, ...plans.map((p) => copyMarkerKey(move, p.id))],
    args,
  )) as unknown[];
  return plans.map((_, i) => String(reply[2 * i + 1]));
}

/**
 * The three steps for one batch, in rounds of about SCRIPT_ENTRY_BYTES of copies: an item per plan (`ok`
 * with `to` = the copy, or `skipped`).
 */
export async function moveInTwoSteps(
  redis: RedisConnection,
  move: TwoStepMove,
  plans: readonly CopyPlan[],
): Promise<ActionItem[]> {
  const items: ActionItem[] = [];
  for (const round of roundsOfBytes(plans)) items.push(...(await moveRoundInTwoSteps(redis, move, round)));
  return items;
}

const planBytes = (p: CopyPlan): number =>
  p.fields.reduce((n, f) => n + (typeof f === "string" ? Buffer.byteLength(f) : f.length), 0);

/** The plans in rounds of at most about SCRIPT_ENTRY_BYTES of fields (a bigger plan alone): each copy script call stays short. */
export function roundsOfBytes(plans: readonly CopyPlan[]): CopyPlan[][] {
  const rounds: CopyPlan[][] = [];
  let round: CopyPlan[] = [];
  let bytes = 0;
  for (const p of plans) {
    const b = planBytes(p);
    if (round.length > 0 && bytes + b > SCRIPT_ENTRY_BYTES) {
      rounds.push(round);
      round = [];
      bytes = 0;
    }
    round.push(p);
    bytes += b;
  }
  if (round.length > 0) rounds.push(round);
  return rounds;
}

async function moveRoundInTwoSteps(
  redis: RedisConnection,
  move: TwoStepMove,
  plans: readonly CopyPlan[],
): Promise<ActionItem[]> {
  const copies = await writeCopies(redis, move, plans);
  const settleArgs: (string | number)[] = [SETTLED_MARKER_TTL_MS, move.group, move.mode, ...move.filter];
  plans.forEach((p, i) => settleArgs.push(p.id, copies[i]!));
  const settled = (await settleScript.runOnce(
    redis,
    [move.source, ...plans.map((p) => settledMarkerKey(move, p.id))],
    settleArgs,
  )) as string[];
  const releaseArgs: string[] = [];
  plans.forEach((_, i) => releaseArgs.push(copies[i]!, settled[i] === "withdraw" ? "0" : "1"));
  await releaseScript.runRetrying(redis, [move.target, ...plans.map((p) => copyMarkerKey(move, p.id))], releaseArgs);
  return plans.map((p, i) =>
    settled[i] === "ok" ? { id: p.id, outcome: "ok", to: copies[i]! } : { id: p.id, outcome: "skipped" },
  );
}
