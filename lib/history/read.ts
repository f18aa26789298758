import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import {
  HISTORY_RANGES,
  type HistoryRange,
  type HistoryResponse,
  type PendingProfileResponse,
  type RatesResponse,
} from "@/lib/contract/history";
import { resolveGroupRule } from "@/lib/config/resolve";
import type { Settings } from "@/lib/config/settings";
import { STUCK_SCAN_BUDGET } from "@/lib/streams/snapshot";
import { requireGroup } from "@/lib/pending/group";
import { countIdlePending } from "@/lib/pending/idle-count";
import { timeMsToId } from "@/lib/contract/ids";
import { historySettings } from "./sampler";
import { downsample, pendingProfile, samplesToPoints, windowRates } from "./series";
import { historyKeys, readRecentMany, readSamples } from "./store";

async function seriesResponse(
  redis: RedisConnection,
  key: string,
  range: HistoryRange,
  settings: Settings,
  now: number,
): Promise<HistoryResponse> {
  const from = now - HISTORY_RANGES[range];
  // One sample before the range so the first point has a rate.
  const samples = await readSamples(redis, key, from - historySettings(settings).sampleEveryMs * 2, now);
  const points = samplesToPoints(samples).filter((p) => p.t >= from);
  return {
    range,
    from,
    to: now,
    sampleEveryMs: historySettings(settings).sampleEveryMs,
    samples: points.length,
    points: downsample(points),
  };
}

export function streamHistory(
  redis: RedisConnection,
  stream: string,
  range: HistoryRange,
  settings: Settings,
  now: number,
) {
  return seriesResponse(redis, historyKeys.stream(stream), range, settings, now);
}

export function groupHistory(
  redis: RedisConnection,
  stream: string,
  group: string,
  range: HistoryRange,
  settings: Settings,
  now: number,
) {
  return seriesResponse(redis, historyKeys.group(stream, group), range, settings, now);
}

/**
 * "Healthy or stuck?" from the group's whole retained history (at most MAX_READ_SAMPLES), plus
 * the messages stuck right now (over at most STUCK_SCAN_BUDGET PEL entries) so that no advice
 * hides them. 404 for a missing stream or group.
 */
export async function groupPendingProfile(
  redis: RedisConnection,
  stream: string,
  group: string,
  settings: Settings,
  now: number,
): Promise<PendingProfileResponse> {
  const { group: info } = await requireGroup(redis, stream, group);
  const { stuckAfterMs } = resolveGroupRule(settings.groups, stream, group);
  const [samples, [stuck]] = await Promise.all([
    readSamples(redis, historyKeys.group(stream, group), now - historySettings(settings).retentionMs, now),
    countIdlePending(
      redis,
      [{ stream, group, minIdleMs: stuckAfterMs, pending: info.pending, end: timeMsToId(now - stuckAfterMs, "end") }],
      { perGroupBudget: STUCK_SCAN_BUDGET },
    ),
  ]);
  const stuckNow = {
    count: stuck?.count ?? 0,
    maxIdleMs: stuck?.maxIdleMs ?? 0,
    capped: stuck ? !stuck.complete : false,
  };
  return pendingProfile(samples, stuckAfterMs, stuckNow);
}

export const RATES_WINDOW_MS = 15 * 60_000;
const RATE_SAMPLES = 100;
const SPARK_POINTS = 30;

/**
 * Recent in / acked rates of many streams at once, with a small series for a sparkline. Streams
 * not `visible` (the caller's scope) are answered as streams without history, and not read.
 */
export async function recentRates(
  redis: RedisConnection,
  streams: readonly string[],
  now: number,
  visible: (stream: string) => boolean = () => true,
): Promise<RatesResponse> {
  const read = streams.filter(visible);
  const series = await readRecentMany(redis, read.map(historyKeys.stream), now - RATES_WINDOW_MS, RATE_SAMPLES);
  const byStream = new Map(read.map((stream, i) => [stream, series[i] ?? []]));
  const rates: RatesResponse["rates"] = {};
  streams.forEach((stream) => {
    const samples = byStream.get(stream) ?? [];
    const points = downsample(samplesToPoints(samples).slice(1), SPARK_POINTS).map((p) => ({
      t: p.t,
      inRate: p.inRate,
      ackRate: p.ackRate,
    }));
    rates[stream] = { ...windowRates(samples), points };
  });
  return { windowMs: RATES_WINDOW_MS, rates };
}
