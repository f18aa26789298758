import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { FamilyConfig } from "@/lib/contract/config";
import { MAX_RETENTION_MEMBERS, type FamilyRetentionResponse, type RetentionMember } from "@/lib/contract/families";
import { badRequest, notFound } from "@/lib/errors";
import { familyOfKey, parseFamilyPattern } from "@/lib/shared/families";
import { familyScanMatch } from "@/lib/shared/family-periods";
import { indexedKeys } from "./list";
import { readStreams, streamsOnly } from "./snapshot";
import { unprocessedOf } from "./unprocessed";

/** The members of a family the caller may see, newest period first, from the stream index. */
async function familyMembers(
  redis: RedisConnection,
  pattern: string,
  configured: readonly string[],
  visible: (key: string) => boolean,
): Promise<{ keys: string[]; complete: boolean }> {
  const found = await indexedKeys(redis, familyScanMatch(pattern));
  const members: { key: string; periodStart: number }[] = [];
  for (const key of found.keys) {
    if (!visible(key)) continue;
    const fam = familyOfKey(key, configured);
    if (fam?.pattern === pattern) members.push({ key, periodStart: fam.periodStart });
  }
  members.sort((a, b) => b.periodStart - a.periodStart || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { keys: members.map((m) => m.key), complete: found.complete };
}

/**
 * The retention check of one family: per member its expiry, memory and unprocessed messages,
 * which members have no expiry, which would expire with messages a group has not finished, and
 * which a producer created without one. Reads at most MAX_RETENTION_MEMBERS members (the newest).
 */
export async function readFamilyRetention(
  redis: RedisConnection,
  pattern: string,
  families: readonly FamilyConfig[],
  visible: (key: string) => boolean,
): Promise<FamilyRetentionResponse> {
  if (!parseFamilyPattern(pattern)) throw badRequest(`"${pattern}" is not a family pattern`);
  const config = families.find((f) => f.pattern === pattern);
  const found = await familyMembers(
    redis,
    pattern,
    families.map((f) => f.pattern),
    visible,
  );
  if (found.keys.length === 0) throw notFound(`No family named "${pattern}"`);
  const keys = found.keys.slice(0, MAX_RETENTION_MEMBERS);
  const reads = streamsOnly(await readStreams(redis, keys, { info: true, groups: true, ttl: true, memory: true }));
  // Rotation sets a member's expiry in the script that creates it; without a TTL in the settings it sets none.
  const rotationLeavesNoTtl = config !== undefined && !config.ttlSeconds;
  const members: RetentionMember[] = [];
  for (const read of reads) {
    const groups = read.groups ?? [];
    const unprocessed = read.info ? await unprocessedOf(redis, read.key, read.info, groups) : { pending: 0, atRisk: 0 };
    const ttlMs = read.pttl !== null && read.pttl >= 0 ? read.pttl : null;
    const noTtl = read.pttl === -1;
    members.push({
      key: read.key,
      ttlMs,
      memoryBytes: read.memory,
      length: read.info?.length ?? 0,
      groups: groups.length,
      unprocessed: unprocessed.atRisk,
      pending: unprocessed.pending,
      noTtl,
      atRisk: ttlMs !== null && unprocessed.atRisk > 0,
      producerCreated: noTtl && !rotationLeavesNoTtl,
    });
  }
  const memories = members.map((m) => m.memoryBytes);
  return {
    pattern,
    configured: config !== undefined,
    ttlSeconds: config?.ttlSeconds ?? null,
    members,
    memberCount: found.keys.length,
    capped: found.keys.length > keys.length,
    complete: found.complete,
    memoryBytes: memories.every((m) => m === null) ? null : memories.reduce<number>((s, m) => s + (m ?? 0), 0),
  };
}
