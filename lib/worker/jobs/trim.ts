import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { resolveGroupRule } from "@/lib/config/resolve";
import { workerSettingsOf } from "@/lib/config/settings";
import { groupsOfStreams, nextStreamSlice } from "../stream-slice";
import { LuaScript } from "@/lib/redis/lua";
import type { JobContext, JobResult, WorkerJob } from "../types";
import { errorText } from "@/lib/redis/errors";

/**
 * Trims the entries every group is done with, in one script so no group can be created or moved
 * between computing the threshold and trimming. Threshold = min over groups of (oldest PEL id,
 * successor of last-delivered-id); XTRIM MINID ~ keeps every id >= threshold (and `~` trims
 * whole nodes only: less, never more). No LIMIT: Redis caps the work of one call itself.
 * A stream without groups is never trimmed. Returns {removed, threshold or "", groups}.
 * Ids are compared as decimal strings (length, then text): Lua numbers lose 64-bit precision.
 */
const TRIM_ACKED = new LuaScript(
  "trim-acked",
  `
local key = KEYS[1]
if redis.call('EXISTS', key) == 0 then return {0, '', 0} end
local function split(id)
  local d = string.find(id, '-', 1, true)
  if not d then return id, '0' end
  return string.sub(id, 1, d - 1), string.sub(id, d + 1)
end
local function numLess(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local function idLess(a, b)
  local am, as = split(a)
  local bm, bs = split(b)
  if am ~= bm then return numLess(am, bm) end
  return numLess(as, bs)
end
local function incr(n)
  local digits = {}
  for i = 1, #n do digits[i] = string.byte(n, i) - 48 end
  local i = #digits
  while i >= 1 do
    if digits[i] < 9 then digits[i] = digits[i] + 1; break end
    digits[i] = 0
    i = i - 1
  end
  local out = {}
  if i == 0 then out[1] = '1' end
  for j = 1, #digits do out[#out + 1] = string.char(digits[j] + 48) end
  return table.concat(out)
end
local U64MAX = '18446744073709551615'
local function successor(id)
  local ms, seq = split(id)
  if seq ~= U64MAX then return ms .. '-' .. incr(seq) end
  return incr(ms) .. '-0'
end
local groups = redis.call('XINFO', 'GROUPS', key)
if #groups == 0 then return {0, '', 0} end
local threshold = nil
for _, g in ipairs(groups) do
  local name, last
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] end
    if g[i] == 'last-delivered-id' then last = g[i + 1] end
  end
  local candidate = successor(last)
  local summary = redis.call('XPENDING', key, name)
  if summary[1] > 0 and summary[2] and idLess(summary[2], candidate) then candidate = summary[2] end
  if threshold == nil or idLess(candidate, threshold) then threshold = candidate end
end
local removed = redis.call('XTRIM', key, 'MINID', '~', threshold)
return {removed, threshold, #groups}`,
);

/** Repeat the trim only after a call that removed at least this many entries. */
const REPEAT_AFTER = 500;

export interface TrimOutcome {
  removed: number;
  threshold: string | null;
  calls: number;
}

/** Trims one stream, repeating while entries come off and the budget lasts. */
export async function trimAcked(redis: RedisConnection, key: string, budget: number): Promise<TrimOutcome> {
  let removed = 0;
  let calls = 0;
  let threshold: string | null = null;
  while (removed < budget) {
    const [n, t] = (await TRIM_ACKED.run(redis, [key], [])) as [number, string, number];
    calls++;
    threshold = t || null;
    removed += n;
    // Without LIMIT, one `~` call stops after 100 nodes (10,000 entries by default): only a call
    // that removed that much can have left trimmable entries behind.
    if (n < REPEAT_AFTER) break;
  }
  return { removed, threshold, calls };
}

export const trimJob: WorkerJob = {
  name: "trim",
  cadenceMs: 60_000,
  changesStreams: true,
  async run(ctx: JobContext): Promise<JobResult> {
    const worker = workerSettingsOf(ctx.settings);
    const counts = { streamsTrimmed: 0, entriesRemoved: 0, streamsWithTrim: 0 };
    const notes: string[] = [];
    if (!ctx.settings.groups.some((r) => r.trim))
      return { counts, notes: ["no group rule has trim: true"], commands: 0 };
    const slice = await nextStreamSlice(ctx.redis, {
      job: "trim",
      match: ctx.keyMatch ?? "*",
      max: worker.streamsPerTick,
    });
    let commands = slice.scanCalls + 2;
    const streams = await groupsOfStreams(ctx.redis, slice.keys);
    commands += slice.keys.length;
    let budget = worker.trimBudget;
    for (const { stream, groups } of streams) {
      // Trim only when every group's rule says so: one group without trim keeps its history.
      if (groups.length === 0 || !groups.every((g) => resolveGroupRule(ctx.settings.groups, stream, g.name).trim))
        continue;
      counts.streamsWithTrim++;
      await ctx.heartbeat();
      let out;
      try {
        out = await trimAcked(ctx.redis, stream, budget);
      } catch (err) {
        notes.push(`${stream}: trim failed: ${errorText(err)}`);
        continue;
      }
      commands += out.calls;
      if (out.removed > 0) {
        counts.streamsTrimmed++;
        counts.entriesRemoved += out.removed;
        notes.push(`${stream}: trimmed ${out.removed} entries below ${out.threshold}`);
      }
      budget -= out.removed;
      if (budget <= 0) {
        notes.push(`trim budget (${worker.trimBudget} entries) used up; the rest next tick`);
        break;
      }
    }
    return { counts, notes, commands };
  },
};
