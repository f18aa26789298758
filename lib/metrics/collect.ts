import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { Gauge, Registry } from "prom-client";
import { deadLetterGlobs } from "@/lib/alerts/rules";
import { snapshotStreams, type StreamSnapshot } from "@/lib/streams/snapshot";
import { readDrains } from "@/lib/history/drain";
import { listAlerts } from "@/lib/alerts/store";
import { ALERT_RULES, type AlertSeverity } from "@/lib/contract/alerts";
import type { TickResult } from "@/lib/contract/worker";
import type { Settings } from "@/lib/config/settings";
import { globMatch } from "@/lib/shared/glob";
import { isAppKey } from "@/lib/redis/app-keys";
import { scanAllKeys } from "@/lib/redis/keyspace";
import { readLastTick } from "./worker-ticks";

/**
 * Prometheus metrics, collected per scrape into a fresh Registry. Bounded: at most
 * METRICS_MAX_STREAMS streams per scrape (SCAN ... TYPE stream, 1000 per page), one pipeline of
 * XINFO STREAM + XINFO GROUPS + PTTL per 500 streams, then per group XPENDING - + 1 and
 * the consumers (lib/streams/consumers.ts: no XINFO CONSUMERS over CONSUMER_LIST_CAP), and for groups with pending the stuck count over at most 1000 PEL entries
 * (plain XPENDING ranges, see lib/pending/idle-count.ts). `streamscope_metrics_streams_truncated` is 1 when the cap cut the key space.
 * Names follow oliver006/redis_exporter where they overlap (labels stream, group, consumer).
 */
export const METRICS_MAX_STREAMS = 1000;

const SEVERITIES: AlertSeverity[] = ["info", "warning", "critical"];

/** The last tick, or null when there is none or the key holds something else (no worker metrics then). */
async function lastTickOrNull(redis: RedisConnection): Promise<TickResult | null> {
  try {
    return await readLastTick(redis);
  } catch {
    return null;
  }
}

/** Drain of the groups with a lag (one pipelined history read for all of them). */
async function setDrains(
  redis: RedisConnection,
  snapshots: readonly StreamSnapshot[],
  now: number,
  gauge: Gauge,
): Promise<void> {
  const targets = snapshots.flatMap((s) =>
    s.groups.filter((g) => g.lag !== 0).map((g) => ({ stream: s.key, group: g.name, lag: g.lag })),
  );
  const drains = await readDrains(redis, targets, now);
  drains.forEach((d, i) => {
    if (!d) return;
    const { stream, group } = targets[i]!;
    gauge.set({ stream, group }, d.etaMs === null ? Infinity : d.etaMs / 1000);
  });
}

export async function collectMetrics(
  redis: RedisConnection,
  settings: Settings,
  opts: {
    now: number;
    match?: string;
    maxStreams?: number;
    /** The caller's scope: streams, alerts and dead letters outside it are left out. */
    visible?: (key: string) => boolean;
    /** Per-job counts of the last tick (they cover every stream); false for a caller limited to some streams. */
    workerCounts?: boolean;
  },
): Promise<{ contentType: string; body: string }> {
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
    "Pending number of messages for this specific consumer",
    ["stream", "group", "consumer"],
  );
  const consumerIdle = g("redis_stream_group_consumer_idle_seconds", "Consumer idle time in seconds", [
    "stream",
    "group",
    "consumer",
  ]);
  const consumersOmitted = g(
    "streamscope_group_consumers_omitted",
    "Consumers of the group without per-consumer series (the group has more than CONSUMER_LIST_CAP consumers)",
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
  const alertsFiring = g("streamscope_alerts_firing", "Alerts firing (silenced ones included), by rule and severity", [
    "rule",
    "severity",
  ]);
  const alertsSilenced = g("streamscope_alerts_silenced", "Firing alerts that are silenced");
  const scanned = g("streamscope_metrics_streams", "Streams collected in this scrape");
  const truncated = g("streamscope_metrics_streams_truncated", "1 when the scrape stopped at its stream cap");

  const max = opts.maxStreams ?? METRICS_MAX_STREAMS;
  // One key over the cap tells "cut short" apart from "exactly the cap".
  const { keys: found, complete } = await scanAllKeys(redis, {
    match: opts.match ?? "*",
    type: "stream",
    maxKeys: max + 1,
  });
  const all = found.filter((k) => !isAppKey(k) && (opts.visible?.(k) ?? true));
  const keys = all.slice(0, max);
  const snapshots = await snapshotStreams(redis, keys, {
    groupRules: settings.groups,
    now: opts.now,
    consumers: true,
    stuck: true,
    lagAge: true,
  });
  const dlqGlobs = deadLetterGlobs(settings.alerts.deadLetterStreams, settings.groups);
  await setDrains(redis, snapshots, opts.now, drainSeconds);

  for (const s of snapshots) {
    streamLength.set({ stream: s.key }, s.length);
    streamGroups.set({ stream: s.key }, s.groups.length);
    if (s.ttlMs !== null) ttl.set({ stream: s.key }, s.ttlMs / 1000);
    if (dlqGlobs.some((glob) => globMatch(glob, s.key))) deadLetter.set({ stream: s.key }, s.length);
    for (const grp of s.groups) {
      const l = { stream: s.key, group: grp.name };
      if (grp.lag !== null) groupLag.set(l, grp.lag);
      groupPending.set(l, grp.pending);
      groupConsumers.set(l, grp.consumerCount);
      oldest.set(l, grp.oldestPending ? grp.oldestPending.ageMs / 1000 : 0);
      if (grp.lagMs !== undefined) lagSeconds.set(l, grp.lagMs / 1000);
      stuck.set(l, grp.stuck?.count ?? 0);
      threshold.set(l, grp.stuckAfterMs / 1000);
      maxDeliveries.set(l, grp.mostDelivered?.deliveries ?? 0);
      if (grp.consumersListed !== null && grp.consumersListed !== "all") {
        consumersOmitted.set(l, grp.consumerCount);
        continue;
      }
      for (const c of grp.consumers ?? []) {
        consumerPending.set({ ...l, consumer: c.name }, c.pending);
        if (c.idleMs !== null) consumerIdle.set({ ...l, consumer: c.name }, c.idleMs / 1000);
      }
    }
  }
  scanned.set(snapshots.length);
  truncated.set(complete && all.length <= max ? 0 : 1);

  for (const rule of ALERT_RULES) for (const severity of SEVERITIES) alertsFiring.set({ rule, severity }, 0);
  let silenced = 0;
  for (const a of await listAlerts(redis, opts.now)) {
    if (a.state !== "firing" || !(opts.visible?.(a.stream) ?? true)) continue;
    alertsFiring.inc({ rule: a.rule, severity: a.severity });
    if (a.silencedUntil !== null) silenced++;
  }
  alertsSilenced.set(silenced);

  const tick = await lastTickOrNull(redis);
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
    for (const job of opts.workerCounts === false ? [] : Array.isArray(tick.jobs) ? tick.jobs : []) {
      if (typeof job.name !== "string" || !job.ran) continue;
      jobErrors.set({ job: job.name }, job.error ? 1 : 0);
      for (const [result, v] of Object.entries(job.counts ?? {})) {
        if (typeof v === "number" && Number.isFinite(v)) jobCounts.set({ job: job.name, result }, v);
      }
    }
  }

  return { contentType: registry.contentType, body: await registry.metrics() };
}
