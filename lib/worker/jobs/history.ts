import "server-only";
import {
  groupSample,
  historySettings,
  MAX_GROUPS_PER_SAMPLE,
  MAX_STREAMS_PER_SAMPLE,
  streamSample,
} from "@/lib/history/sampler";
import { historyKeys, writeSamples } from "@/lib/history/store";
import type { Sample } from "@/lib/history/series";
import type { StreamSnapshot } from "@/lib/streams/snapshot";
import { ChangeMemo, streamsFor } from "../tick-streams";
import type { JobContext, JobResult, WorkerJob } from "../types";
import { keyMatchOf } from "./key-match";

/**
 * An unchanged stream without pending messages is sampled again after this long, so that its
 * charts and recent rates (a 15-minute window) keep points while nothing happens.
 */
export const UNCHANGED_SAMPLE_EVERY_MS = 5 * 60_000;

/**
 * The worker job: samples the tick's streams and their groups into bounded history. Its cadence
 * is the default sampling period; settings.history.sampleEveryMs is honoured inside (a tick that
 * comes too early is skipped unless forced). A stream that has not changed since its last sample
 * and holds no pending message (whose age grows) is sampled only every UNCHANGED_SAMPLE_EVERY_MS.
 */
export const historyJob: WorkerJob = {
  name: "history",
  cadenceMs: 10_000,
  async run(ctx: JobContext): Promise<JobResult> {
    const { sampleEveryMs, retentionMs } = historySettings(ctx.settings);
    const match = keyMatchOf(ctx);
    const lastKey = historyKeys.lastRun() + (match ? `:${match}` : "");
    if (!ctx.forced) {
      const last = Number((await ctx.redis.get(lastKey)) ?? 0);
      // A little slack so a tick that lands just early does not skip a whole period.
      if (ctx.now - last < sampleEveryMs * 0.9)
        return {
          counts: { streams: 0, groups: 0, samples: 0, failed: 0 },
          notes: ["skipped: sampled less than sampleEveryMs ago"],
          commands: 1,
        };
    }
    const slice = await streamsFor(ctx, "history", { max: MAX_STREAMS_PER_SAMPLE });
    const memo = ChangeMemo.of<number>(ctx, "history");
    memo.prune(slice);
    const rows: { key: string; sample: Sample }[] = [];
    const sampled: StreamSnapshot[] = [];
    let groups = 0;
    let unchanged = 0;
    for (const s of slice.streams) {
      const lastAt = memo.unchanged(s);
      const pending = s.groups.some((g) => g.pending > 0);
      if (!pending && lastAt !== undefined && ctx.now - lastAt < UNCHANGED_SAMPLE_EVERY_MS) {
        unchanged++;
        continue;
      }
      sampled.push(s);
      rows.push({ key: historyKeys.stream(s.key), sample: streamSample(s, ctx.now) });
      for (const g of s.groups) {
        if (groups >= MAX_GROUPS_PER_SAMPLE) break;
        groups++;
        rows.push({ key: historyKeys.group(s.key, g.name), sample: groupSample(s, g, ctx.now) });
      }
    }
    await ctx.heartbeat();
    const { written, failed } =
      rows.length > 0 ? await writeSamples(ctx.redis, rows, retentionMs) : { written: 0, failed: 0 };
    for (const s of sampled) memo.remember(s, ctx.now);
    await ctx.redis.set(lastKey, String(ctx.now), "PX", Math.max(retentionMs, sampleEveryMs * 10));
    return {
      counts: { streams: sampled.length, groups, samples: written, failed, unchanged },
      notes: [],
      commands: slice.commands + 1 + written * 2,
    };
  },
};
