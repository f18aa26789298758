import "server-only";
import type Redis from "ioredis";
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
  countFilterMatches,
  countPendingIds,
  filterArgs,
  fromItems,
  runOnFilter,
  runOnIds,
  toItems,
  type BatchRunner,
  type Tally,
} from "./batches";
import { DEFAULT_DEAD_LETTER_REASON, DEFAULT_REQUEUE_REASON, moveBatchRunner, resolveDeadLetterTarget, skippedOf } from "./move";
import { translated } from "@/lib/redis/errors";
import { ackScript, claimScript } from "./scripts";

/**
 * The five pending actions on `{ids}` or `{filter}` targets. Filter work runs here on the
 * server: the PEL is paged in bounded chunks and acted on in script calls of SCRIPT_BATCH ids,
 * each of which re-checks per id that it is still pending (and still matches the filter), so
 * repeated or concurrent requests touch each message once.
 */
interface Targets {
  ids?: string[];
  filter?: PendingFilter;
  dryRun?: boolean;
}

function dryRun(matched: number): DryRunResponse {
  return { dryRun: true, matched };
}

async function countMatches(redis: Redis, stream: string, group: string, targets: Targets, filter: PendingFilter): Promise<number> {
  return targets.ids
    ? countPendingIds(redis, stream, group, targets.ids, filter)
    : countFilterMatches(redis, stream, group, filter);
}

/** For ids: the script checks nothing but "still pending". For a filter: the filter again. */
async function run(
  redis: Redis,
  stream: string,
  group: string,
  targets: Targets,
  filter: PendingFilter,
  runner: (scriptFilter: PendingFilter) => BatchRunner,
): Promise<Tally> {
  if (targets.ids) return runOnIds(targets.ids, runner({}));
  return runOnFilter(redis, stream, group, filter, runner(filter));
}

function withItems<T extends object>(body: T, tally: Tally): T & { items?: Tally["items"] } {
  return tally.items ? { ...body, items: tally.items } : body;
}

function ackRunner(redis: Redis, stream: string, group: string, mode: "ack" | "delete") {
  return (filter: PendingFilter): BatchRunner => {
    const [consumer, minIdle, minDeliveries] = filterArgs(filter);
    return async (ids, detail) => {
      const args = [group, mode, detail ? "1" : "0", consumer, minIdle, minDeliveries, ...ids];
      const reply = await translated(() => ackScript.runOnce(redis, [stream], args));
      if (detail) return fromItems(toItems(ids, reply));
      const acked = Number((reply as unknown[])[0] ?? 0);
      return { ok: acked, skipped: ids.length - acked, deleted: 0 };
    };
  };
}

export async function ackPending(redis: Redis, stream: string, group: string, body: AckBody): Promise<AckResponse | DryRunResponse> {
  await requireGroup(redis, stream, group);
  const filter = body.filter ?? {};
  if (body.dryRun) return dryRun(await countMatches(redis, stream, group, body, filter));
  const tally = await run(redis, stream, group, body, filter, ackRunner(redis, stream, group, "ack"));
  return withItems({ acked: tally.ok + tally.deleted, skipped: tally.skipped }, tally);
}

export async function deletePending(
  redis: Redis,
  stream: string,
  group: string,
  body: DeleteBody,
): Promise<DeleteResponse | DryRunResponse> {
  await requireGroup(redis, stream, group);
  const filter = body.filter ?? {};
  if (body.dryRun) return dryRun(await countMatches(redis, stream, group, body, filter));
  const tally = await run(redis, stream, group, body, filter, ackRunner(redis, stream, group, "delete"));
  return withItems({ deleted: tally.ok + tally.deleted, skipped: tally.skipped }, tally);
}

export async function claimPending(
  redis: Redis,
  stream: string,
  group: string,
  body: ClaimBody,
): Promise<ClaimResponse | DryRunResponse> {
  await requireGroup(redis, stream, group);
  // The claim's min-idle also selects: an entry idle for less is never claimed.
  const minIdleMs = Math.max(body.minIdleMs, body.filter?.minIdleMs ?? 0);
  const filter: PendingFilter = { ...body.filter, minIdleMs };
  if (body.dryRun) return dryRun(await countMatches(redis, stream, group, body, filter));
  const tally = await run(redis, stream, group, body, filter, (scriptFilter) => {
    const [consumer, , minDeliveries] = filterArgs(scriptFilter);
    const head = [group, body.consumer, minIdleMs, consumer, minDeliveries];
    return async (ids) => fromItems(toItems(ids, await translated(() => claimScript.runOnce(redis, [stream], [...head, ...ids]))));
  });
  return withItems({ claimed: tally.ok, deleted: tally.deleted, skipped: tally.skipped }, tally);
}

export async function requeuePending(
  redis: Redis,
  stream: string,
  group: string,
  body: RequeueBody,
): Promise<RequeueResponse | DryRunResponse> {
  const { groupCount } = await requireGroup(redis, stream, group);
  if (groupCount > 1 && !body.allGroups) {
    throw new AppError(
      "CONFLICT",
      `Stream "${stream}" is read by ${groupCount} groups: a requeued copy would reach every group. ` +
        "Claim instead, or pass allGroups: true to requeue anyway.",
    );
  }
  const filter = body.filter ?? {};
  if (body.dryRun) return dryRun(await countMatches(redis, stream, group, body, filter));
  const tally = await run(redis, stream, group, body, filter, (scriptFilter) =>
    moveBatchRunner(redis, {
      stream,
      group,
      mode: "requeue",
      target: stream,
      reason: body.reason ?? DEFAULT_REQUEUE_REASON,
      allGroups: body.allGroups ?? false,
      filter: scriptFilter,
    }),
  );
  return withItems({ requeued: tally.ok, skipped: skippedOf(tally) }, tally);
}

export async function deadLetterPending(
  redis: Redis,
  stream: string,
  group: string,
  body: DeadLetterBody,
  /** The caller's stream scope: a target outside it is refused (403) before anything moves. */
  mayWrite: (key: string) => boolean = () => true,
): Promise<DeadLetterResponse | DryRunResponse> {
  await requireGroup(redis, stream, group);
  const target = await resolveDeadLetterTarget(redis, stream, group, body.target);
  if (!mayWrite(target)) throw new AppError("FORBIDDEN", `The dead-letter target "${target}" is outside your streams`);
  const type = await redis.type(target);
  if (type !== "none" && type !== "stream") throw wrongType(target, type);
  const filter = body.filter ?? {};
  if (body.dryRun) return dryRun(await countMatches(redis, stream, group, body, filter));
  const tally = await run(redis, stream, group, body, filter, (scriptFilter) =>
    moveBatchRunner(redis, {
      stream,
      group,
      mode: "dead-letter",
      target,
      reason: body.reason ?? DEFAULT_DEAD_LETTER_REASON,
      allGroups: true,
      filter: scriptFilter,
    }),
  );
  return withItems({ moved: tally.ok, skipped: skippedOf(tally), target }, tally);
}
