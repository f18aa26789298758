import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { FamilyConfig } from "@/lib/contract/config";
import { globMatch } from "@/lib/shared/glob";
import { scanAllKeys } from "@/lib/redis/keyspace";
import { familyScanMatch, periodOfKey, periodsFrom } from "@/lib/shared/family-periods";
import { LuaScript } from "@/lib/redis/lua";
import type { JobContext, JobResult, WorkerFinding, WorkerJob } from "../types";
import { readStreams } from "@/lib/streams/snapshot";

/**
 * Creates a family member atomically: every group at id 0 (MKSTREAM, no init entry) and the
 * expiry, in one script. Idempotent: existing groups are kept (BUSYGROUP), an expiry already
 * set is left alone (NX). Returns {existed, groupsCreated, hadNoExpiry, expirySet}.
 * ARGV: expireAtSeconds (0 = none), group...
 */
const ENSURE_MEMBER = new LuaScript(
  "ensure-member",
  `
local key = KEYS[1]
local t = redis.call('TYPE', key)['ok']
if t ~= 'none' and t ~= 'stream' then return {-1, 0, 0, 0} end
local existed = 0
local hadNoExpiry = 0
if t == 'stream' then
  existed = 1
  if redis.call('PTTL', key) == -1 then hadNoExpiry = 1 end
end
local created = 0
for i = 2, #ARGV do
  local ok = redis.pcall('XGROUP', 'CREATE', key, ARGV[i], '0', 'MKSTREAM')
  if type(ok) == 'table' and ok.err then
    if not string.find(ok.err, 'BUSYGROUP', 1, true) then return redis.error_reply(ok.err) end
  else
    created = created + 1
  end
end
local expirySet = 0
if tonumber(ARGV[1]) > 0 and redis.call('EXISTS', key) == 1 then
  expirySet = redis.call('EXPIREAT', key, ARGV[1], 'NX')
end
return {existed, created, hadNoExpiry, expirySet}`,
);

/** Gives an existing member without expiry its expiry (never a key that has one, never creates). */
const FIX_EXPIRY = new LuaScript(
  "fix-expiry",
  `
if redis.call('PTTL', KEYS[1]) ~= -1 then return 0 end
if redis.call('TYPE', KEYS[1])['ok'] ~= 'stream' then return 0 end
return redis.call('PEXPIREAT', KEYS[1], ARGV[1])`,
);

/** Members found per family per run (late producers are rare; a bound keeps a tick short). */
const MAX_MEMBERS_SCANNED = 5000;

/** When a member expires: `ttlSeconds` after its period ends (null without ttlSeconds). */
export function plannedExpiryMs(family: FamilyConfig, periodEnd: number): number | null {
  return family.ttlSeconds ? periodEnd + family.ttlSeconds * 1000 : null;
}

/**
 * Creates the family's current and ahead members and gives members without expiry theirs. Each
 * member is one key, created by one script on the node that holds it (members of a family are on
 * several nodes of a cluster). `heartbeat` runs before each write (the tick's lease check).
 */
export async function rotateFamily(
  redis: RedisConnection,
  family: FamilyConfig,
  now: number,
  keyMatch = "*",
  heartbeat: () => Promise<void> = async () => undefined,
): Promise<JobResult> {
  const counts = { streamsCreated: 0, groupsCreated: 0, expirySet: 0, lateProducerFixed: 0, wrongType: 0 };
  const notes: string[] = [];
  const findings: WorkerFinding[] = [];
  let commands = 0;
  const zone = family.timeZone ?? "UTC";
  const periods = periodsFrom(family.pattern, now, family.ahead ?? 1, zone);
  const inScope = (key: string) => globMatch(keyMatch, key);

  if (family.groups.length > 0) {
    for (const period of periods) {
      if (!inScope(period.key)) continue;
      const expireAt = plannedExpiryMs(family, period.end);
      await heartbeat();
      const reply = (await ENSURE_MEMBER.run(
        redis,
        [period.key],
        [expireAt === null ? 0 : Math.ceil(expireAt / 1000), ...family.groups],
      )) as number[];
      commands++;
      const [existed, created, hadNoExpiry, expirySet] = reply;
      if (existed === -1) {
        counts.wrongType++;
        notes.push(`${period.key}: exists but is not a stream; left alone`);
        continue;
      }
      if (!existed) {
        counts.streamsCreated++;
        notes.push(
          `${family.name}: created ${period.key} with ${family.groups.join(", ")}${expireAt ? `, expires ${new Date(expireAt).toISOString()}` : ""}`,
        );
      } else if (created) {
        notes.push(`${period.key}: added missing group(s) (${created})`);
      }
      counts.groupsCreated += created ?? 0;
      counts.expirySet += expirySet ?? 0;
      if (existed && hadNoExpiry && expirySet) {
        counts.lateProducerFixed++;
        findings.push({
          kind: "missing-expiry",
          severity: "warning",
          stream: period.key,
          message: `${period.key} had no expiry (created by a producer before the worker); set to ${new Date(expireAt!).toISOString()}`,
          expiresAt: expireAt!,
        });
      }
    }
  } else {
    notes.push(`${family.name}: no groups configured; members are not created ahead, only given their expiry`);
  }

  if (family.ttlSeconds) {
    const match = familyScanMatch(family.pattern);
    const found = await scanAllKeys(redis, { match, type: "stream", maxKeys: MAX_MEMBERS_SCANNED });
    commands += Math.max(1, Math.ceil(found.keys.length / 1000));
    const candidates = found.keys.filter(inScope);
    const ttls = candidates.length ? await pttls(redis, candidates) : [];
    commands += candidates.length;
    for (const [i, key] of candidates.entries()) {
      if (ttls[i] !== -1) continue;
      const period = periodOfKey(family.pattern, key, zone);
      if (!period) continue;
      const planned = plannedExpiryMs(family, period.end)!;
      // A late producer may have written fresh messages into an old period: never expire them at once.
      const expireAt = Math.max(planned, now + family.ttlSeconds * 1000);
      await heartbeat();
      const set = (await FIX_EXPIRY.run(redis, [key], [expireAt])) as number;
      commands++;
      if (set === 1) {
        counts.lateProducerFixed++;
        findings.push({
          kind: "missing-expiry",
          severity: "warning",
          stream: key,
          message: `${key} had no expiry (a producer wrote after it expired, or created it early); now expires ${new Date(expireAt).toISOString()}`,
          expiresAt: expireAt,
        });
        notes.push(`${key}: had no expiry, set to ${new Date(expireAt).toISOString()}`);
      }
    }
    if (!found.complete)
      notes.push(
        `${family.name}: over ${MAX_MEMBERS_SCANNED} members; checked the first ${MAX_MEMBERS_SCANNED} for a missing expiry`,
      );
  }
  return { counts, notes, findings, commands };
}

async function pttls(redis: RedisConnection, keys: string[]): Promise<number[]> {
  return (await readStreams(redis, keys, { ttl: true })).map((r) => r.pttl ?? -2);
}

export function mergeResults(results: JobResult[]): JobResult {
  const counts: Record<string, number> = {};
  const notes: string[] = [];
  const findings: WorkerFinding[] = [];
  let commands = 0;
  for (const r of results) {
    for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
    notes.push(...r.notes);
    findings.push(...(r.findings ?? []));
    commands += r.commands ?? 0;
  }
  return { counts, notes, findings, commands };
}

export const rotationJob: WorkerJob = {
  name: "rotation",
  cadenceMs: 60_000,
  changesStreams: true,
  async run(ctx: JobContext) {
    const results: JobResult[] = [];
    for (const family of ctx.settings.families) {
      results.push(await rotateFamily(ctx.redis, family, ctx.now, ctx.keyMatch, ctx.heartbeat));
    }
    const merged = mergeResults(results);
    merged.counts.families = ctx.settings.families.length;
    return merged;
  },
};
