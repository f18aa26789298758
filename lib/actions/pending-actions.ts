import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type {
  AckBody,
  AckResponse,
  ClaimBody,
  ClaimResponse,
  DeadLetterBody,
  DeadLetterResponse,
  DeleteBody,
  DeleteResponse,
  DryRunResponse,
  PendingFilter,
  RequeueBody,
  RequeueResponse,
} from "@/lib/contract/pending";
import { AppError, wrongType } from "@/lib/errors";
import { requireGroup } from "@/lib/pending/group";
import {
  countTargets,
  filterArgs,
  runBatches,
  tallyOf,
  targetPages,
  settleLater,
  toItems,
  type BatchControl,
  type BatchScript,
  type Tally,
  type Targets,
} from "./batches";
import {
  atomicity,
  DEFAULT_DEAD_LETTER_REASON,
  DEFAULT_REQUEUE_REASON,
  moveScriptBatch,
  resolveDeadLetterTarget,
  skippedOf,
} from "./move";
import { ackScript, claimScript } from "./scripts";

/**
 * The five pending actions on `{ids}` or `{filter}` targets. Each checks the group (and what the
 * action needs) up front, then either counts (dry run) or runs the one bulk path: the targets, a
 * page at a time, in batches of one script call each (batches.ts).
 */

/** Ids per ack / delete / claim script call (each id costs a PEL lookup or two inside the script). */
export const SCRIPT_BATCH = 100;

function dryRun(matched: number): DryRunResponse {
  return { dryRun: true, matched };
}

/**
 * An action checked and ready to run: its targets, its batch script, and how a tally becomes its
 * answer. The synchronous route runs it to the end; a background job runs the same plan with
 * progress and a stop check (jobs.ts).
 */
export interface ActionPlan<R> {
  targets: Targets;
  script: BatchScript;
  answer(tally: Tally): R;
  /** Streams the action changes (the alert re-evaluation afterwards looks at these). */
  streams: string[];
}

/** The action over its targets: items for named ids, counts only for a filter. */
export async function runPlan<R>(
  redis: RedisConnection,
  stream: string,
  group: string,
  plan: ActionPlan<R>,
  control?: BatchControl,
  detail = plan.targets.ids !== undefined,
): Promise<{ answer: R; tally: Tally & { stopped?: true } }> {
  const tally = await runBatches(targetPages(redis, stream, group, plan.targets), plan.script, detail, control);
  return { answer: plan.answer(tally), tally };
}

async function runOrCount<R>(
  redis: RedisConnection,
  stream: string,
  group: string,
  plan: ActionPlan<R>,
  dry: boolean | undefined,
): Promise<R | DryRunResponse> {
  if (dry) return dryRun(await countTargets(redis, stream, group, plan.targets));
  return (await runPlan(redis, stream, group, plan)).answer;
}

function withItems<T extends object>(body: T, tally: Tally): T & { items?: Tally["items"] } {
  return tally.items ? { ...body, items: tally.items } : body;
}

function ackScriptBatch(
  redis: RedisConnection,
  stream: string,
  group: string,
  mode: "ack" | "delete",
  filter: PendingFilter,
): BatchScript {
  const [consumer, minIdle, minDeliveries] = filterArgs(filter);
  return {
    batchSize: SCRIPT_BATCH,
    run: async (ids, detail) => {
      const head = [group, mode, detail ? "1" : "0", consumer, minIdle, minDeliveries];
      if (detail)
        return tallyOf(await settleLater(ids, (open) => ackScript.runOnce(redis, [stream], [...head, ...open])));
      const reply = await ackScript.runOnce(redis, [stream], [...head, ...ids]);
      const acked = Number((reply as unknown[])[0] ?? 0);
      return { ok: acked, skipped: ids.length - acked, deleted: 0 };
    },
  };
}

export async function planAck(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: AckBody,
): Promise<ActionPlan<AckResponse>> {
  await requireGroup(redis, stream, group);
  const targets: Targets = { ids: body.ids, filter: body.filter ?? {} };
  return {
    targets,
    script: ackScriptBatch(redis, stream, group, "ack", targets.filter),
    answer: (tally) => withItems({ acked: tally.ok + tally.deleted, skipped: tally.skipped }, tally),
    streams: [stream],
  };
}

export async function ackPending(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: AckBody,
): Promise<AckResponse | DryRunResponse> {
  return runOrCount(redis, stream, group, await planAck(redis, stream, group, body), body.dryRun);
}

export async function planDelete(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: DeleteBody,
): Promise<ActionPlan<DeleteResponse>> {
  await requireGroup(redis, stream, group);
  const targets: Targets = { ids: body.ids, filter: body.filter ?? {} };
  return {
    targets,
    script: ackScriptBatch(redis, stream, group, "delete", targets.filter),
    answer: (tally) => withItems({ deleted: tally.ok + tally.deleted, skipped: tally.skipped }, tally),
    streams: [stream],
  };
}

export async function deletePending(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: DeleteBody,
): Promise<DeleteResponse | DryRunResponse> {
  return runOrCount(redis, stream, group, await planDelete(redis, stream, group, body), body.dryRun);
}

export async function planClaim(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: ClaimBody,
): Promise<ActionPlan<ClaimResponse>> {
  await requireGroup(redis, stream, group);
  // The claim's min-idle also selects: an entry idle for less is never claimed.
  const minIdleMs = Math.max(body.minIdleMs, body.filter?.minIdleMs ?? 0);
  const targets: Targets = { ids: body.ids, filter: { ...body.filter, minIdleMs } };
  const [consumer, , minDeliveries] = filterArgs(targets.filter);
  const head = [group, body.consumer, minIdleMs, consumer, minDeliveries];
  return {
    targets,
    script: {
      batchSize: SCRIPT_BATCH,
      run: async (ids) => tallyOf(toItems(ids, await claimScript.runOnce(redis, [stream], [...head, ...ids]))),
    },
    answer: (tally) => withItems({ claimed: tally.ok, deleted: tally.deleted, skipped: tally.skipped }, tally),
    streams: [stream],
  };
}

export async function claimPending(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: ClaimBody,
): Promise<ClaimResponse | DryRunResponse> {
  return runOrCount(redis, stream, group, await planClaim(redis, stream, group, body), body.dryRun);
}

export async function planRequeue(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: RequeueBody,
): Promise<ActionPlan<RequeueResponse>> {
  const { groupCount } = await requireGroup(redis, stream, group);
  if (groupCount > 1 && !body.allGroups) {
    throw new AppError(
      "REQUEUE_NEEDS_ALL_GROUPS",
      `Stream "${stream}" is read by ${groupCount} groups: a requeued copy would reach every group. ` +
        "Claim instead, or pass allGroups: true to requeue anyway.",
    );
  }
  const targets: Targets = { ids: body.ids, filter: body.filter ?? {} };
  const script = moveScriptBatch(redis, {
    stream,
    group,
    mode: "requeue",
    target: stream,
    reason: body.reason ?? DEFAULT_REQUEUE_REASON,
    allGroups: body.allGroups ?? false,
    filter: targets.filter,
  });
  return {
    targets,
    script,
    answer: (tally) => withItems({ requeued: tally.ok, skipped: skippedOf(tally), ...atomicity(redis, tally) }, tally),
    streams: [stream],
  };
}

export async function requeuePending(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: RequeueBody,
): Promise<RequeueResponse | DryRunResponse> {
  return runOrCount(redis, stream, group, await planRequeue(redis, stream, group, body), body.dryRun);
}

export async function planDeadLetter(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: DeadLetterBody,
  /** The caller's stream scope: a target outside it is refused (403) before anything moves. */
  mayWrite: (key: string) => boolean = () => true,
): Promise<ActionPlan<DeadLetterResponse>> {
  await requireGroup(redis, stream, group);
  const target = await resolveDeadLetterTarget(redis, stream, group, body.target);
  if (!mayWrite(target)) throw new AppError("FORBIDDEN", `The dead-letter target "${target}" is outside your streams`);
  const type = await redis.type(target);
  if (type !== "none" && type !== "stream") throw wrongType(target, type);
  const targets: Targets = { ids: body.ids, filter: body.filter ?? {} };
  const script = moveScriptBatch(redis, {
    stream,
    group,
    mode: "dead-letter",
    target,
    reason: body.reason ?? DEFAULT_DEAD_LETTER_REASON,
    allGroups: true,
    filter: targets.filter,
  });
  return {
    targets,
    script,
    answer: (tally) =>
      withItems({ moved: tally.ok, skipped: skippedOf(tally), target, ...atomicity(redis, tally) }, tally),
    streams: [stream, target],
  };
}

export async function deadLetterPending(
  redis: RedisConnection,
  stream: string,
  group: string,
  body: DeadLetterBody,
  mayWrite: (key: string) => boolean = () => true,
): Promise<DeadLetterResponse | DryRunResponse> {
  return runOrCount(redis, stream, group, await planDeadLetter(redis, stream, group, body, mayWrite), body.dryRun);
}
