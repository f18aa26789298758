import "server-only";
import { markRows, poisonMarksReader } from "@/lib/alerts/poison-marks";
import { RECENT_GROUPS_MS } from "./recent-groups";
import type { RedisConnection } from "@/lib/redis/connection";
import type { StreamDetail, StreamRow } from "@/lib/contract/streams";
import { resolveGroupRule } from "@/lib/config/resolve";
import type { Settings } from "@/lib/config/settings";
import { notFound } from "@/lib/errors";
import { assertStream } from "./assert-stream";
import { timeMsToId } from "@/lib/contract/ids";
import { buildDetail, buildRow, type RowInputs } from "./row-build";
import { endEntryBytes } from "./stream-info";
import { answerBudget } from "./answer-limits";
import { rowBytes } from "./list-budget";

/** The detail's fields besides its row and groups (four ids and counts, the keys that name them). */
const DETAIL_FIELDS_BYTES = 256;
import type { GroupInfo } from "./xinfo";
import {
  hasUndelivered,
  idAgeMs,
  readFirstUndelivered,
  readPendingStates,
  readStreams,
  streamsOnly,
  type UndeliveredRef,
} from "./snapshot";
import { STUCK_CAP, STUCK_READ_FACTOR } from "./summary";
import { keptGroupUnder, type StuckSnapshot } from "./stuck-snapshot";

/**
 * Rows of the stream list in a bounded number of pipelined rounds, whatever the number of keys
 * (reads through ./snapshot.ts, whose error policy applies: keys that vanished or changed type
 * since SCAN are left out):
 * 1. per key: XINFO STREAM, XINFO GROUPS, PTTL (500 keys per read-only script call beside the
 *    pipeline: lib/redis/keyspace.ts `readPttls`), MEMORY USAGE (default sampling), in one round for
 *    streams small at their last read and unchanged since (their MEMORY USAGE remembered), two when
 *    such a stream changed, else up to three (readStreams: MEMORY USAGE only under
 *    MEMORY_USAGE_MAX_CONSUMERS, XINFO STREAM in rounds bounded in bytes);
 * 2. side by side: per group with pending messages, `XPENDING key group - + 1`, its lowest pending
 *    id (O(log n)); per group behind the stream's last entry (and not behind its first one, whose
 *    id XINFO STREAM gave), `XRANGE key (last-delivered-id + COUNT 1`, its oldest entry not yet
 *    delivered (the lag in time, O(log n); in rounds bounded in bytes too); and stuck messages
 *    (idle at least the group's threshold) counted over ids old enough to be stuck, at most
 *    STUCK_CAP × STUCK_READ_FACTOR PEL entries for the whole page (a row cut short has `stuckCapped`).
 * With a (fresh) kept stuck snapshot (./stuck-snapshot.ts), step 2 reads the pending lists only of
 * the groups it does not hold under the same threshold.
 */
export async function describeStreams(
  redis: RedisConnection,
  keys: readonly string[],
  settings: Pick<Settings, "groups">,
  kept: StuckSnapshot | null = null,
): Promise<StreamRow[]> {
  const poisonMarks = poisonMarksReader(redis);
  const inputs = await collectRowInputs(redis, keys, settings, kept);
  const marks = await poisonMarks(inputs.flatMap((i) => i.groups.map((g) => ({ stream: i.key, group: g.name }))));
  return markRows(inputs.map(buildRow), marks);
}

/** One stream with its groups; 404 when missing, 409 when the key is not a stream. */
export async function describeStream(
  redis: RedisConnection,
  key: string,
  settings: Pick<Settings, "groups">,
): Promise<StreamDetail> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [input] = await collectRowInputs(redis, [key], settings);
    // The groups get what the row and its 7.0 fields leave of the answer's budget.
    if (input) return buildDetail(input, answerBudget() - rowBytes(key) - DETAIL_FIELDS_BYTES);
    // Throws 404 / 409; passing means the key was re-created between the two reads.
    await assertStream(redis, key);
  }
  throw notFound(`No stream named "${key}"`);
}

/** Keys (4 commands each), or groups (1 each), per pipelined round trip: one round for a default 1000-key SCAN page. */
const ROW_CHUNK_KEYS = 1000;

export async function collectRowInputs(
  redis: RedisConnection,
  keys: readonly string[],
  settings: Pick<Settings, "groups">,
  kept: StuckSnapshot | null = null,
): Promise<RowInputs[]> {
  const reads = streamsOnly(
    await readStreams(redis, keys, {
      info: true,
      groups: true,
      ttl: true,
      memory: true,
      chunkKeys: ROW_CHUNK_KEYS,
      shareGroupsMs: RECENT_GROUPS_MS,
    }),
  );
  const partial: Omit<RowInputs, "oldestPendingIds" | "stuck" | "now" | "lagMs">[] = reads.map((r) => ({
    key: r.key,
    info: r.info!,
    groups: r.groups!,
    pttl: r.pttl,
    memory: r.memory,
    memoryUnknown: r.memoryUnknown,
  }));

  const oldestIds = new Map<string, string[]>();
  const stuck = new Map<string, { count: number; capped: boolean }>();
  const addStuck = (stream: string, count: number, complete: boolean) => {
    const prev = stuck.get(stream) ?? { count: 0, capped: false };
    stuck.set(stream, { count: prev.count + count, capped: prev.capped || !complete });
  };
  const withPending: { key: string; group: GroupInfo; stuckAfterMs: number }[] = [];
  for (const p of partial) {
    for (const g of p.groups) {
      if (g.pending === 0) continue;
      const { stuckAfterMs } = resolveGroupRule(settings.groups, p.key, g.name);
      const k = keptGroupUnder(kept, p.key, g.name, stuckAfterMs);
      if (!k) {
        withPending.push({ key: p.key, group: g, stuckAfterMs });
        continue;
      }
      const ids = oldestIds.get(p.key) ?? [];
      if (k.oldestId) ids.push(k.oldestId);
      oldestIds.set(p.key, ids);
      addStuck(p.key, k.stuck, k.complete);
    }
  }
  const behind: UndeliveredRef[] = [];
  for (const p of partial) {
    for (const g of p.groups) {
      if (!hasUndelivered(p.info.lastEntryId, g.lastDeliveredId)) continue;
      behind.push({
        stream: p.key,
        group: g.name,
        lastDeliveredId: g.lastDeliveredId,
        firstEntryId: p.info.firstEntryId,
        entryBytes: endEntryBytes(p.memory, p.info.length),
      });
    }
  }
  const now = Date.now();
  const targets = withPending.map(({ key, group: g, stuckAfterMs }) => ({
    stream: key,
    group: g.name,
    minIdleMs: stuckAfterMs,
    pending: g.pending,
    end: timeMsToId(now - stuckAfterMs, "end"),
  }));
  const [states, undelivered] = await Promise.all([
    readPendingStates(redis, targets, { totalBudget: STUCK_CAP * STUCK_READ_FACTOR }, ROW_CHUNK_KEYS),
    readFirstUndelivered(redis, behind, ROW_CHUNK_KEYS),
  ]);
  targets.forEach((t, i) => {
    const { oldest, stuck: count } = states[i]!;
    const ids = oldestIds.get(t.stream) ?? [];
    if (oldest?.id) ids.push(oldest.id);
    oldestIds.set(t.stream, ids);
    addStuck(t.stream, count.count, count.complete);
  });

  const lagMs = new Map<string, number>();
  behind.forEach((b, i) =>
    lagMs.set(b.stream, Math.max(lagMs.get(b.stream) ?? 0, idAgeMs(undelivered[i] ?? null, now))),
  );
  // Spelled out: spreading `p` into an object with more fields costs ~10 µs per row in V8.
  return partial.map((p) => ({
    key: p.key,
    info: p.info,
    groups: p.groups,
    pttl: p.pttl,
    memory: p.memory,
    memoryUnknown: p.memoryUnknown,
    oldestPendingIds: oldestIds.get(p.key) ?? [],
    stuck: stuck.get(p.key) ?? { count: 0, capped: false },
    lagMs: p.groups.length === 0 ? null : (lagMs.get(p.key) ?? 0),
    now,
  }));
}
