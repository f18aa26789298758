import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { Gauge, Registry } from "prom-client";
import { deadLetterGlobs } from "@/lib/alerts/rules";
import { snapshotStreams, type GroupSnapshot, type StreamSnapshot } from "@/lib/streams/snapshot";
import { consumerListCap } from "@/lib/streams/consumers";
import type { KnownKeys } from "@/lib/streams/summary";
import { streamIndexFor } from "@/lib/streams/stream-index";
import { readDrains } from "@/lib/history/drain";
import { listAlerts } from "@/lib/alerts/store";
import { ALERT_RULES, type AlertSeverity } from "@/lib/contract/alerts";
import { metricsSettingsSchema, type MetricsSettings } from "@/lib/contract/config";
import type { TickResult } from "@/lib/contract/worker";
import type { Settings } from "@/lib/config/settings";
import { getEnv } from "@/lib/env";
import { globMatch } from "@/lib/shared/glob";
import { isAppKey } from "@/lib/redis/app-keys";
import { sharedRead } from "@/lib/runtime/shared-read";
import { seriesUnits, unitsWithin, type SeriesUnit } from "./plan";
import { readLastTick } from "./worker-ticks";

/**
 * Prometheus metrics. The key list comes from the stream index (lib/streams/stream-index.ts),
 * never from a SCAN per scrape; the numbers from one bounded snapshot (lib/streams/snapshot.ts:
 * XINFO STREAM + XINFO GROUPS + PTTL per stream, per group with pending XPENDING - + 1 and the
 * stuck count over at most 1000 PEL entries, per group behind one XRANGE ... COUNT 1). Bounded:
 *  - at most `metrics.maxStreams` streams are read, families (lib/metrics/plan.ts) whole or not at
 *    all; a family's members are summed into one series labelled by its pattern;
 *  - no per-consumer series unless `metrics.consumerSeries`, then at most `maxConsumerSeries`
 *    consumers, and none for a group over CONSUMER_LIST_CAP (it is never read with XINFO CONSUMERS);
 *  - the text stays under ANSWER_LIMIT_BYTES: the last series units are dropped until it fits.
 * `streamscope_metrics_streams_omitted` counts the streams left out, and
 * `streamscope_metrics_streams_truncated` is 1 when some are (or the index is still discovering).
 * Names follow oliver006/redis_exporter where they overlap (labels stream, group, consumer).
 */

const SEVERITIES: AlertSeverity[] = ["info", "warning", "critical"];

/** How long a scrape may walk the stream index while its first pass runs. */
const FIRST_PASS_BUDGET_MS = 500;
/** Streams per snapshot call. */
const READ_CHUNK = 1000;
/** A sample line's bytes besides its label values: a metric name, label names and quotes, a value (about). */
const LINE_BYTES = 60;

export function metricsSettingsOf(settings: Pick<Settings, "metrics">): MetricsSettings {
  return metricsSettingsSchema.parse(settings.metrics ?? {});
}

export interface MetricsAnswer {
  contentType: string;
  body: string;
}

interface GroupSeries {
  /** null when a member's lag is unknown. */
  lag: number | null;
  pending: number;
  consumers: number;
  oldestS: number;
  lagS: number | undefined;
  drainS: number | undefined;
  stuck: number;
  thresholdS: number;
  maxDeliveries: number;
  consumersOmitted: number;
  consumerSeries: Map<string, { pending: number; idleS: number | null }>;
}

interface StreamSeries {
  label: string;
  family: boolean;
  /** Streams summed into this series (read and still there). */
  streams: number;
  length: number;
  groupCount: number;
  ttlS: number | null;
  deadLetter: number | null;
  groups: Map<string, GroupSeries>;
}

const maxOf = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

function addGroup(into: GroupSeries | undefined, g: GroupSnapshot, drainS: number | undefined): GroupSeries {
  const lagS = g.lagMs === undefined ? undefined : g.lagMs / 1000;
  const oldestS = g.oldestPending ? g.oldestPending.ageMs / 1000 : 0;
  if (!into) {
    return {
      lag: g.lag,
      pending: g.pending,
      consumers: g.consumerCount,
      oldestS,
      lagS,
      drainS,
      stuck: g.stuck?.count ?? 0,
      thresholdS: g.stuckAfterMs / 1000,
      maxDeliveries: g.mostDelivered?.deliveries ?? 0,
      consumersOmitted: 0,
      consumerSeries: new Map(),
    };
  }
  into.lag = into.lag === null || g.lag === null ? null : into.lag + g.lag;
  into.pending += g.pending;
  into.consumers += g.consumerCount;
  into.oldestS = Math.max(into.oldestS, oldestS);
  into.lagS = maxOf(into.lagS, lagS);
  into.drainS = maxOf(into.drainS, drainS);
  into.stuck += g.stuck?.count ?? 0;
  into.thresholdS = Math.min(into.thresholdS, g.stuckAfterMs / 1000);
  into.maxDeliveries = Math.max(into.maxDeliveries, g.mostDelivered?.deliveries ?? 0);
  return into;
}

/** Per-consumer numbers of a group, within the scrape's consumer budget; the rest counted as omitted. */
interface ConsumerBudget {
  left: number;
  on: boolean;
  listCap: number;
}

function addConsumers(series: GroupSeries, g: GroupSnapshot, budget: ConsumerBudget): void {
  if (!budget.on || g.consumersListed !== "all") {
    // Off: only a group over the list cap is worth a series (consumers leak).
    if (budget.on || g.consumerCount > budget.listCap) series.consumersOmitted += g.consumerCount;
    return;
  }
  for (const c of g.consumers ?? []) {
    const idleS = c.idleMs === null ? null : c.idleMs / 1000;
    const seen = series.consumerSeries.get(c.name);
    if (seen) {
      seen.pending += c.pending;
      seen.idleS = seen.idleS === null || idleS === null ? (seen.idleS ?? idleS) : Math.min(seen.idleS, idleS);
    } else if (budget.left > 0) {
      budget.left--;
      series.consumerSeries.set(c.name, { pending: c.pending, idleS });
    } else series.consumersOmitted++;
  }
}

/** One series unit's numbers: its members' snapshots summed (members gone since listing are left out). */
function aggregate(
  unit: SeriesUnit,
  byKey: ReadonlyMap<string, StreamSnapshot>,
  drains: ReadonlyMap<string, number>,
  dlqGlobs: readonly string[],
  budget: ConsumerBudget,
): StreamSeries {
  const s: StreamSeries = {
    label: unit.label,
    family: unit.family,
    streams: 0,
    length: 0,
    groupCount: 0,
    ttlS: null,
    deadLetter: null,
    groups: new Map(),
  };
  for (const key of unit.keys) {
    const snap = byKey.get(key);
    if (!snap) continue;
    s.streams++;
    s.length += snap.length;
    s.groupCount += snap.groups.length;
    if (snap.ttlMs !== null) s.ttlS = Math.min(s.ttlS ?? Infinity, snap.ttlMs / 1000);
    if (dlqGlobs.some((glob) => globMatch(glob, key))) s.deadLetter = (s.deadLetter ?? 0) + snap.length;
    for (const grp of snap.groups) {
      const merged = addGroup(s.groups.get(grp.name), grp, drains.get(JSON.stringify([key, grp.name])));
      s.groups.set(grp.name, merged);
      addConsumers(merged, grp, budget);
    }
  }
  return s;
}

/** About the bytes a series unit takes in the text: its sample lines, each its label values and LINE_BYTES. */
function estimateBytes(s: StreamSeries): number {
  const stream = s.label.length;
  let bytes =
    (2 + (s.ttlS !== null ? 1 : 0) + (s.deadLetter !== null ? 1 : 0) + (s.family ? 1 : 0)) * (LINE_BYTES + stream);
  for (const [group, g] of s.groups) {
    const optional = [g.lag !== null, g.lagS !== undefined, g.drainS !== undefined, g.consumersOmitted > 0];
    const lines = 6 + optional.filter(Boolean).length;
    bytes += lines * (LINE_BYTES + stream + group.length);
    for (const consumer of g.consumerSeries.keys()) bytes += 2 * (LINE_BYTES + stream + group.length + consumer.length);
  }
  return bytes;
}

/** The last tick, or null when there is none or the key holds something else (no worker metrics then). */
async function lastTickOrNull(redis: RedisConnection): Promise<TickResult | null> {
  try {
    return await readLastTick(redis);
  } catch {
    return null;
  }
}

/** Each lagging group's drain in seconds (+Inf when it grows), by stream and group; one pipelined history read. */
async function readDrainSeconds(
  redis: RedisConnection,
  snapshots: readonly StreamSnapshot[],
  now: number,
): Promise<Map<string, number>> {
  const targets = snapshots.flatMap((s) =>
    s.groups.filter((g) => g.lag !== 0).map((g) => ({ stream: s.key, group: g.name, lag: g.lag })),
  );
  const drains = await readDrains(redis, targets, now);
  const out = new Map<string, number>();
  drains.forEach((d, i) => {
    if (!d) return;
    const { stream, group } = targets[i]!;
    out.set(JSON.stringify([stream, group]), d.etaMs === null ? Infinity : d.etaMs / 1000);
  });
  return out;
}

interface Extras {
  alerts: { firing: Map<string, number>; silenced: number };
  tick: TickResult | null;
  workerCounts: boolean;
  streamsOmitted: number;
  incomplete: boolean;
}

/** The Prometheus text of these series (and the scrape's own gauges). */
async function render(series: readonly StreamSeries[], extras: Extras): Promise<MetricsAnswer> {
  const registry = new Registry();
  const g = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  const streamLength = g("redis_stream_length", "The number of elements in the stream", ["stream"]);
  const streamGroups = g("redis_stream_groups", "Groups in stream", ["stream"]);
  const groupLag = g(
    "redis_stream_group_lag",
    "Lag of the consumer group (entries not yet delivered); absent when Redis cannot compute it",
    ["stream", "group"],
  );
  const groupPending = g("redis_stream_group_messages_pending", "Pending number of messages in that stream group", [
    "stream",
    "group",
  ]);
  const groupConsumers = g("redis_stream_group_consumers", "Consumers count of group", ["stream", "group"]);
  const consumerPending = g(
    "redis_stream_group_consumer_messages_pending",
    "Pending number of messages for this specific consumer (only with metrics.consumerSeries)",
    ["stream", "group", "consumer"],
  );
  const consumerIdle = g(
    "redis_stream_group_consumer_idle_seconds",
    "Consumer idle time in seconds (only with metrics.consumerSeries)",
    ["stream", "group", "consumer"],
  );
  const consumersOmitted = g(
    "streamscope_group_consumers_omitted",
    "Consumers of the group without per-consumer series: over CONSUMER_LIST_CAP, or past metrics.maxConsumerSeries",
    ["stream", "group"],
  );
  const oldest = g(
    "streamscope_group_oldest_pending_seconds",
    "Age of the group's oldest pending message, from its id's time (0 when none)",
    ["stream", "group"],
  );
  const lagSeconds = g(
    "streamscope_group_lag_seconds",
    "Age of the oldest entry not yet delivered to the group, from its id's time (0 when none)",
    ["stream", "group"],
  );
  const drainSeconds = g(
    "streamscope_group_drain_seconds",
    "Seconds until the group's lag reaches 0 at its recent rate (history); +Inf when it grows; absent when flat or unknown",
    ["stream", "group"],
  );
  const stuck = g(
    "streamscope_group_stuck_messages",
    "Pending messages idle longer than the group's stuckAfterMs (among the first 1000 PEL entries)",
    ["stream", "group"],
  );
  const threshold = g("streamscope_group_stuck_after_seconds", "The group's stuckAfterMs threshold in seconds", [
    "stream",
    "group",
  ]);
  const maxDeliveries = g(
    "streamscope_group_max_deliveries",
    "Highest delivery count of a pending message of the group (among the first 1000 PEL entries; 0 when none)",
    ["stream", "group"],
  );
  const deadLetter = g("streamscope_dead_letter_messages", "Messages held in a dead-letter stream", ["stream"]);
  const ttl = g("streamscope_stream_ttl_seconds", "Seconds until the stream expires (absent without a TTL)", [
    "stream",
  ]);
  const familyStreams = g(
    "streamscope_family_streams",
    "Streams of the family summed into its series (label stream: the family's pattern)",
    ["stream"],
  );
  const alertsFiring = g("streamscope_alerts_firing", "Alerts firing (silenced ones included), by rule and severity", [
    "rule",
    "severity",
  ]);
  const alertsSilenced = g("streamscope_alerts_silenced", "Firing alerts that are silenced");
  const scanned = g("streamscope_metrics_streams", "Streams collected in this scrape");
  const omitted = g(
    "streamscope_metrics_streams_omitted",
    "Streams left out of this scrape (metrics.maxStreams, or the answer's byte limit)",
  );
  const truncated = g(
    "streamscope_metrics_streams_truncated",
    "1 when streams were left out or the stream index is still discovering",
  );

  let streams = 0;
  for (const s of series) {
    const stream = s.label;
    streams += s.streams;
    streamLength.set({ stream }, s.length);
    streamGroups.set({ stream }, s.groupCount);
    if (s.family) familyStreams.set({ stream }, s.streams);
    if (s.ttlS !== null) ttl.set({ stream }, s.ttlS);
    if (s.deadLetter !== null) deadLetter.set({ stream }, s.deadLetter);
    for (const [group, grp] of s.groups) {
      const l = { stream, group };
      if (grp.lag !== null) groupLag.set(l, grp.lag);
      groupPending.set(l, grp.pending);
      groupConsumers.set(l, grp.consumers);
      oldest.set(l, grp.oldestS);
      if (grp.lagS !== undefined) lagSeconds.set(l, grp.lagS);
      if (grp.drainS !== undefined) drainSeconds.set(l, grp.drainS);
      stuck.set(l, grp.stuck);
      threshold.set(l, grp.thresholdS);
      maxDeliveries.set(l, grp.maxDeliveries);
      if (grp.consumersOmitted > 0) consumersOmitted.set(l, grp.consumersOmitted);
      for (const [consumer, c] of grp.consumerSeries) {
        consumerPending.set({ ...l, consumer }, c.pending);
        if (c.idleS !== null) consumerIdle.set({ ...l, consumer }, c.idleS);
      }
    }
  }
  scanned.set(streams);
  omitted.set(extras.streamsOmitted);
  truncated.set(extras.streamsOmitted > 0 || extras.incomplete ? 1 : 0);

  for (const rule of ALERT_RULES) for (const severity of SEVERITIES) alertsFiring.set({ rule, severity }, 0);
  for (const [labels, n] of extras.alerts.firing) {
    const [rule, severity] = JSON.parse(labels) as [string, string];
    alertsFiring.set({ rule, severity }, n);
  }
  alertsSilenced.set(extras.alerts.silenced);

  const tick = extras.tick;
  if (tick) {
    const tickAt = g(
      "streamscope_worker_last_tick_timestamp_seconds",
      "When the worker's last tick finished (unix seconds)",
    );
    const tickDuration = g("streamscope_worker_last_tick_duration_seconds", "How long the worker's last tick took");
    const tickOk = g("streamscope_worker_last_tick_success", "1 when the worker's last tick finished without error");
    const jobCounts = g("streamscope_worker_job_result", "What each job of the last tick did (its counts)", [
      "job",
      "result",
    ]);
    const jobErrors = g("streamscope_worker_job_failed", "1 when the job failed in the last tick", ["job"]);
    if (typeof tick.finishedAt === "number") tickAt.set(tick.finishedAt / 1000);
    if (typeof tick.durationMs === "number") tickDuration.set(tick.durationMs / 1000);
    tickOk.set(tick.status === "ok" ? 1 : 0);
    for (const job of extras.workerCounts === false ? [] : Array.isArray(tick.jobs) ? tick.jobs : []) {
      if (typeof job.name !== "string" || !job.ran) continue;
      jobErrors.set({ job: job.name }, job.error ? 1 : 0);
      for (const [result, v] of Object.entries(job.counts ?? {})) {
        if (typeof v === "number" && Number.isFinite(v)) jobCounts.set({ job: job.name, result }, v);
      }
    }
  }

  return { contentType: registry.contentType, body: await registry.metrics() };
}

export async function collectMetrics(
  redis: RedisConnection,
  settings: Settings,
  opts: {
    now: number;
    /** The stream keys: the stream index's (scrapeMetrics reads them). */
    known: KnownKeys;
    /** Overrides metrics.maxStreams. */
    maxStreams?: number;
    /** The caller's scope: streams, alerts and dead letters outside it are left out. */
    visible?: (key: string) => boolean;
    /** Per-job counts of the last tick (they cover every stream); false for a caller limited to some streams. */
    workerCounts?: boolean;
  },
): Promise<MetricsAnswer> {
  const config = metricsSettingsOf(settings);
  const max = opts.maxStreams ?? config.maxStreams;
  const listed = opts.known;
  const keys = listed.keys.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true));
  const plan = unitsWithin(
    seriesUnits(
      keys,
      settings.families.map((f) => f.pattern),
    ),
    max,
  );

  const [alerts, tick] = await Promise.all([listAlerts(redis, opts.now), lastTickOrNull(redis)]);
  const limit = getEnv().ANSWER_LIMIT_BYTES;
  const dlqGlobs = deadLetterGlobs(settings.alerts.deadLetterStreams, settings.groups);
  const budget = { left: config.maxConsumerSeries, on: config.consumerSeries, listCap: consumerListCap() };
  const series: StreamSeries[] = [];
  // Read in chunks, and stop once the series would pass the byte limit: the rest is left out unread.
  let estimate = 0;
  let at = 0;
  while (at < plan.kept.length && estimate <= limit) {
    const units: SeriesUnit[] = [];
    for (
      let n = 0;
      at < plan.kept.length && (units.length === 0 || n + plan.kept[at]!.keys.length <= READ_CHUNK);
      at++
    ) {
      units.push(plan.kept[at]!);
      n += plan.kept[at]!.keys.length;
    }
    const snapshots = await snapshotStreams(
      redis,
      units.flatMap((u) => u.keys),
      { groupRules: settings.groups, now: opts.now, consumers: config.consumerSeries, stuck: true, lagAge: true },
    );
    const byKey = new Map(snapshots.map((snap) => [snap.key, snap]));
    const drains = await readDrainSeconds(redis, snapshots, opts.now);
    for (const unit of units) {
      const s = aggregate(unit, byKey, drains, dlqGlobs, budget);
      if (s.streams === 0) continue;
      series.push(s);
      estimate += estimateBytes(s);
    }
  }
  const unread = plan.kept.slice(at).reduce((n, u) => n + u.keys.length, 0);

  const firing = new Map<string, number>();
  let silenced = 0;
  for (const a of alerts) {
    if (a.state !== "firing" || !(opts.visible?.(a.stream) ?? true)) continue;
    const labels = JSON.stringify([a.rule, a.severity]);
    firing.set(labels, (firing.get(labels) ?? 0) + 1);
    if (a.silencedUntil !== null) silenced++;
  }

  const extras = (kept: number): Extras => ({
    alerts: { firing, silenced },
    tick,
    workerCounts: opts.workerCounts !== false,
    streamsOmitted: plan.omitted + unread + series.slice(kept).reduce((n, s) => n + s.streams, 0),
    incomplete: !listed.complete,
  });
  let kept = series.length;
  let answer = await render(series, extras(kept));
  // Over the byte limit: drop the last series units (their streams count as left out) until it fits.
  while (Buffer.byteLength(answer.body) > limit && kept > 0) {
    kept = Math.min(kept - 1, Math.floor((kept * limit * 0.9) / Buffer.byteLength(answer.body)));
    answer = await render(series.slice(0, kept), extras(kept));
  }
  return answer;
}

/**
 * Every indexed stream key. While the index's first pass runs, a scrape walks it for up to
 * FIRST_PASS_BUDGET_MS (an overview request walks 40 ms): a small key space is then whole from
 * the first scrape; a big one answers what was found, with `streamscope_metrics_streams_truncated`.
 */
async function indexKeys(redis: RedisConnection): Promise<KnownKeys> {
  const index = streamIndexFor(redis);
  await index.refresh(index.discovery().discovering ? FIRST_PASS_BUDGET_MS : undefined);
  return { keys: index.select("*"), complete: !index.discovery().discovering };
}

/**
 * What GET /api/metrics answers: the index's keys, collected, and the answer shared with every
 * identical scrape (same `cacheKey`: path and caller scope) for `metrics.cacheMs`, so several
 * Prometheus servers cost Redis about what one does (lib/runtime/shared-read.ts).
 */
export function scrapeMetrics(
  redis: RedisConnection,
  settings: Settings,
  opts: { cacheKey: string; now: number; visible?: (key: string) => boolean; workerCounts?: boolean },
): Promise<MetricsAnswer> {
  const { cacheKey, ...rest } = opts;
  return sharedRead(
    `metrics|${cacheKey}`,
    metricsSettingsOf(settings).cacheMs,
    async () => collectMetrics(redis, settings, { ...rest, known: await indexKeys(redis) }),
    { size: (a) => a.body.length },
  );
}
