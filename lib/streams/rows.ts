import "server-only";
import type Redis from "ioredis";
import type { StreamDetail, StreamRow } from "@/lib/contract/streams";
import { resolveGroupRule } from "@/lib/config/resolve";
import { getSettings } from "@/lib/config/settings";
import { notFound } from "@/lib/errors";
import { countIdlePending } from "@/lib/pending/idle-count";
import { pipelineForKeys, type PipelineResult } from "@/lib/redis/keyspace";
import { assertStream } from "./assert-stream";
import { timeMsToId } from "./ids";
import { buildDetail, buildRow, intOrNull, type RowInputs } from "./row-build";
import { STUCK_CAP, STUCK_READ_FACTOR } from "./summary";
import { parseGroups, parsePendingRange, parseStreamInfo } from "./xinfo";

/**
 * Rows of the stream list in two pipelined rounds, whatever the number of keys:
 * 1. per key: XINFO STREAM, XINFO GROUPS, PTTL, MEMORY USAGE (default sampling, bounded);
 * 2. per group with pending messages: `XPENDING key group - + 1`, its lowest pending id (O(log n));
 * 3. stuck messages (idle at least the group's threshold) counted by the overview tile's reader
 *    (lib/pending/idle-count.ts) over ids old enough to be stuck, at most STUCK_CAP ×
 *    STUCK_READ_FACTOR PEL entries for the whole page; a row cut short has `stuckCapped`.
 * Keys that vanished or changed type since SCAN are left out.
 */
export async function describeStreams(redis: Redis, keys: readonly string[]): Promise<StreamRow[]> {
  return (await collectRowInputs(redis, keys)).map(buildRow);
}

/** One stream with its groups; 404 when missing, 409 when the key is not a stream. */
export async function describeStream(redis: Redis, key: string): Promise<StreamDetail> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [input] = await collectRowInputs(redis, [key]);
    if (input) return buildDetail(input);
    // Throws 404 / 409; passing means the key was re-created between the two reads.
    await assertStream(redis, key);
  }
  throw notFound(`No stream named "${key}"`);
}

/** A key that is gone or is no longer a stream: drop it instead of failing the whole list. */
function isVanishedKeyError(err: Error): boolean {
  return /no such key|WRONGTYPE|NOGROUP/i.test(err.message);
}

function replyOf(result: PipelineResult | undefined): { ok: true; value: unknown } | { ok: false } {
  if (!result) return { ok: false };
  const [err, value] = result;
  if (!err) return { ok: true, value };
  if (isVanishedKeyError(err)) return { ok: false };
  throw err;
}

/** Keys per pipelined round trip (4 commands each): one round for a default 1000-key SCAN page. */
const ROW_CHUNK_KEYS = 1000;

/** PTTL and MEMORY USAGE are extras: a server that refuses them (MEMORY disabled on some managed Redis) gives null. */
function optionalInt(result: PipelineResult | undefined): number | null {
  return result && !result[0] ? intOrNull(result[1]) : null;
}

export async function collectRowInputs(redis: Redis, keys: readonly string[]): Promise<RowInputs[]> {
  const infoReplies = await pipelineForKeys(redis, keys, (pipe, key) => {
    pipe.call("XINFO", "STREAM", key);
    pipe.call("XINFO", "GROUPS", key);
    pipe.pttl(key);
    pipe.call("MEMORY", "USAGE", key);
  }, ROW_CHUNK_KEYS);

  const partial: Omit<RowInputs, "oldestPendingIds" | "stuck" | "now">[] = [];
  keys.forEach((key, i) => {
    const [streamRes, groupsRes, pttlRes, memRes] = infoReplies[i] ?? [];
    const stream = replyOf(streamRes);
    const groups = replyOf(groupsRes);
    if (!stream.ok || !groups.ok) return;
    const info = parseStreamInfo(stream.value);
    partial.push({
      key,
      info,
      groups: parseGroups(groups.value, info),
      pttl: optionalInt(pttlRes),
      memory: optionalInt(memRes),
    });
  });

  const withPending = partial.filter((p) => p.groups.some((g) => g.pending > 0));
  const pendingByKey = new Map(withPending.map((p) => [p.key, p]));
  const pendingReplies = await pipelineForKeys(redis, [...pendingByKey.keys()], (pipe, key) => {
    for (const g of pendingByKey.get(key)!.groups) {
      if (g.pending > 0) pipe.call("XPENDING", key, g.name, "-", "+", "1");
    }
  });
  const oldestIds = new Map<string, string[]>();
  [...pendingByKey.keys()].forEach((key, i) => {
    const ids: string[] = [];
    for (const res of pendingReplies[i] ?? []) {
      const reply = replyOf(res);
      const first = reply.ok ? parsePendingRange(reply.value)[0] : undefined;
      if (first?.id) ids.push(first.id);
    }
    oldestIds.set(key, ids);
  });

  const now = Date.now();
  const settings = withPending.length > 0 ? await getSettings(redis) : null;
  const targets = withPending.flatMap((p) =>
    p.groups
      .filter((g) => g.pending > 0)
      .map((g) => {
        const { stuckAfterMs } = resolveGroupRule(settings?.groups ?? [], p.key, g.name);
        return { stream: p.key, group: g.name, minIdleMs: stuckAfterMs, pending: g.pending, end: timeMsToId(now - stuckAfterMs, "end") };
      }),
  );
  const counts = await countIdlePending(redis, targets, { totalBudget: STUCK_CAP * STUCK_READ_FACTOR });
  const stuck = new Map<string, { count: number; capped: boolean }>();
  targets.forEach((t, i) => {
    const c = counts[i]!;
    const prev = stuck.get(t.stream) ?? { count: 0, capped: false };
    stuck.set(t.stream, { count: prev.count + c.count, capped: prev.capped || !c.complete });
  });
  return partial.map((p) => ({ ...p, oldestPendingIds: oldestIds.get(p.key) ?? [], stuck: stuck.get(p.key) ?? { count: 0, capped: false }, now }));
}
