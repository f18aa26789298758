import "server-only";
import { isCluster, type RedisConnection } from "@/lib/redis/connection";
import type { ActionItem, PendingFilter } from "@/lib/contract/pending";
import { getGroupRule } from "@/lib/config/settings";
import { deadLetterTarget } from "@/lib/config/resolve";
import { badRequest } from "@/lib/errors";
import { refuseAppKey } from "@/lib/redis/app-keys";
import { filterArgs, runBatches, settleLater, tallyOf, targetPages, type BatchScript, type Tally } from "./batches";
import { moveReadScript, moveScript } from "./scripts";
import { moveInTwoSteps, movesAtomically, type CopyPlan } from "./two-step";

/**
 * Requeue and dead-letter: one Lua script call per batch of at most 500 ids copies each
 * still-pending entry (original fields in order, then streamscope- metadata) and acks the
 * original, atomically. A dead-letter target in another cluster slot than the stream is moved in
 * two steps instead (two-step.ts). Reused by the worker's reclaim job.
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
  /** Orphaned ids (entry gone) and ids no longer pending. */
  skipped: number;
  items: ActionItem[];
}

export interface DeadLetterIdsInput {
  stream: string;
  group: string;
  ids: readonly string[];
  /** Target stream key; default: the group rule's deadLetter (`<stream>:dlq`). */
  target?: string;
  reason?: string;
}

export interface DeadLetterIdsResult {
  moved: number;
  skipped: number;
  target: string;
  items: ActionItem[];
  /** Present on a cluster (see DeadLetterResponse). */
  atomic?: boolean;
  twoStep?: number;
}

export const DEFAULT_REQUEUE_REASON = "requeued from Streamscope";
export const DEFAULT_DEAD_LETTER_REASON = "dead-lettered from Streamscope";

interface MoveOptions {
  stream: string;
  group: string;
  mode: "requeue" | "dead-letter";
  target: string;
  reason: string;
  allGroups: boolean;
  /** Re-checked per id inside the script. */
  filter: PendingFilter;
}

/**
 * Ids per move script call: each id costs four commands and a copy inside the script, so calls
 * stay small enough that none keeps Redis busy for long; a page's calls are sent together.
 */
export const MOVE_BATCH = 25;

/**
 * The move script, one call per batch, answering one item per id; for a target in another cluster
 * slot, the two-step move per batch (its moves counted in `twoStep`).
 */
export function moveScriptBatch(redis: RedisConnection, opts: MoveOptions): BatchScript {
  const filter = filterArgs(opts.filter);
  if (!movesAtomically(redis, opts.stream, opts.target)) return twoStepBatch(redis, opts, filter);
  const head = [opts.group, opts.mode, opts.reason, opts.allGroups ? "1" : "0", ...filter];
  return {
    batchSize: MOVE_BATCH,
    run: async (ids) =>
      tallyOf(
        await settleLater(ids, (open) => moveScript.runOnce(redis, [opts.stream, opts.target], [...head, ...open])),
      ),
  };
}

function twoStepBatch(redis: RedisConnection, opts: MoveOptions, filter: [string, number, number]): BatchScript {
  const move = { source: opts.stream, target: opts.target, mode: "ack" as const, group: opts.group, filter };
  return {
    batchSize: MOVE_BATCH,
    run: async (ids) => {
      // Each read stops at its entry bytes (scripts.ts); what it read is copied before the next one.
      const items = await settleLater(ids, async (open) => {
        const reply = (await moveReadScript.runReadingBuffers(
          redis,
          [opts.stream],
          [opts.group, opts.mode, opts.reason, ...filter, ...open],
        )) as Buffer[][];
        const outcomes = new Map<string, [string, string]>();
        const plans: CopyPlan[] = [];
        open.forEach((id, i) => {
          const [state, ...fields] = reply[i] ?? [];
          const outcome = state?.toString() ?? "skipped";
          if (outcome === "ok") plans.push({ id, fields });
          else outcomes.set(id, [outcome === "later" || outcome === "deleted" ? outcome : "skipped", ""]);
        });
        for (const item of await moveInTwoSteps(redis, move, plans))
          outcomes.set(item.id, [item.outcome, item.to ?? ""]);
        return open.flatMap((id) => outcomes.get(id)!);
      });
      const tally = tallyOf(items);
      return { ...tally, twoStep: tally.ok };
    },
  };
}

/** The answer's `atomic` and `twoStep` on a cluster (absent on a single server, where every move is atomic). */
export function atomicity(
  redis: RedisConnection,
  tally: Pick<Tally, "twoStep">,
): { atomic?: boolean; twoStep?: number } {
  if (!isCluster(redis)) return {};
  const twoStep = tally.twoStep ?? 0;
  return { atomic: twoStep === 0, twoStep };
}

/**
 * Resolves the dead-letter target (the group rule's template by default); refuses the stream
 * itself and the app's own keys (404, as everywhere).
 */
export async function resolveDeadLetterTarget(
  redis: RedisConnection,
  stream: string,
  group: string,
  target?: string,
): Promise<string> {
  const resolved =
    target ??
    deadLetterTarget((await getGroupRule(redis, stream, group)).deadLetter, stream, { cluster: isCluster(redis) });
  refuseAppKey(resolved);
  if (resolved === stream) throw badRequest("The dead-letter target must be another stream than the source");
  return resolved;
}

/** Orphans (reported `deleted`) count as skipped for requeue and dead-letter. */
export function skippedOf(t: Tally): number {
  return t.skipped + t.deleted;
}

export async function requeueIds(redis: RedisConnection, input: RequeueIdsInput): Promise<RequeueIdsResult> {
  const script = moveScriptBatch(redis, {
    stream: input.stream,
    group: input.group,
    mode: "requeue",
    target: input.stream,
    reason: input.reason ?? DEFAULT_REQUEUE_REASON,
    allGroups: input.allGroups ?? false,
    filter: {},
  });
  const tally = await runBatches(
    targetPages(redis, input.stream, input.group, { ids: input.ids, filter: {} }),
    script,
    true,
  );
  return { requeued: tally.ok, skipped: skippedOf(tally), items: tally.items ?? [] };
}

export async function deadLetterIds(redis: RedisConnection, input: DeadLetterIdsInput): Promise<DeadLetterIdsResult> {
  const target = await resolveDeadLetterTarget(redis, input.stream, input.group, input.target);
  const script = moveScriptBatch(redis, {
    stream: input.stream,
    group: input.group,
    mode: "dead-letter",
    target,
    reason: input.reason ?? DEFAULT_DEAD_LETTER_REASON,
    allGroups: true,
    filter: {},
  });
  const tally = await runBatches(
    targetPages(redis, input.stream, input.group, { ids: input.ids, filter: {} }),
    script,
    true,
  );
  return { moved: tally.ok, skipped: skippedOf(tally), target, items: tally.items ?? [], ...atomicity(redis, tally) };
}
