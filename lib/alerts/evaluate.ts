import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { Settings } from "@/lib/config/settings";
import { log, safeErr } from "@/lib/log";
import { globMatch } from "@/lib/shared/glob";
import { pipelineForKeys } from "@/lib/redis/keyspace";
import { deadLetterGlobs, evaluateStream, trackDeadLetter, type Condition, type DeadLetterSeen } from "./rules";
import { nextStreams, snapshotStreams } from "@/lib/streams/snapshot";
import { alertKeys, applyConditions, readAlertStoreState, type ApplyResult } from "./store";
import { getWebhookQueue, type WebhookEvent, type WebhookQueue } from "./webhook";

export const DEFAULT_MAX_STREAMS_PER_RUN = 500;
const DEAD_LETTER_STATE_TTL_MS = 86400_000;

export interface EvaluateOptions {
  now: number;
  /** SCAN MATCH pattern (tests confine themselves to their prefix). */
  match?: string;
  webhooks?: WebhookQueue;
  /** Runs before the store is written (the worker's lease check). */
  heartbeat?: () => Promise<void>;
}

export interface EvaluateResult extends ApplyResult {
  streams: number;
  conditions: Condition[];
  wrapped: boolean;
  webhooksQueued: number;
}

/**
 * One evaluation: the next page of streams (rolling SCAN cursor kept in Redis), a bounded
 * snapshot of each, the rules, the store update, and webhook deliveries queued (not awaited).
 */
export async function evaluateAlerts(
  redis: RedisConnection,
  settings: Settings,
  opts: EvaluateOptions,
): Promise<EvaluateResult> {
  const max = settings.alerts.maxStreamsPerRun ?? DEFAULT_MAX_STREAMS_PER_RUN;
  const page = await nextStreams(redis, alertKeys.cursor() + (opts.match ? `:${opts.match}` : ""), {
    match: opts.match ?? "*",
    max,
    maxPages: 100,
  });
  await page.save();
  return { ...(await evaluateKeys(redis, settings, page.keys, opts)), wrapped: page.wrapped };
}

/**
 * Evaluates the rules on these streams only (a bounded snapshot of each, as the rolling
 * evaluation does): their alerts fire or resolve, webhooks are queued; other streams' alerts
 * are left alone unless their stream is gone.
 */
export async function evaluateKeys(
  redis: RedisConnection,
  settings: Settings,
  keys: readonly string[],
  opts: Omit<EvaluateOptions, "match">,
): Promise<Omit<EvaluateResult, "wrapped">> {
  const { now } = opts;
  // The store does not depend on the streams: both are read side by side.
  const [snapshots, store] = await Promise.all([
    snapshotStreams(redis, keys, {
      groupRules: settings.groups,
      now,
      consumers: true,
      stuck: true,
      // The XRANGE per group only when some rule asks for the lag in time (the rule is off by default).
      lagAge: settings.alerts.rules.some((r) => r.lagSecondsOver !== undefined),
    }),
    readAlertStoreState(redis),
  ]);

  const dlqGlobs = deadLetterGlobs(settings.alerts.deadLetterStreams, settings.groups);
  const dlqStreams = snapshots.filter((s) => dlqGlobs.some((g) => globMatch(g, s.key)));
  const dlqSeen = new Map<string, DeadLetterSeen>();
  if (dlqStreams.length > 0) {
    // One small key per dead-letter stream, expiring after a day unseen, so the state stays bounded.
    const seenKeys = dlqStreams.map((s) => alertKeys.deadLetter(s.key));
    const prev = await pipelineForKeys(redis, seenKeys, (pipe, key) => pipe.get(key));
    let at = 0;
    await pipelineForKeys(redis, seenKeys, (pipe, key) => {
      const s = dlqStreams[at]!;
      const raw = prev[at++]?.[0]?.[1];
      const next = trackDeadLetter(typeof raw === "string" ? (JSON.parse(raw) as DeadLetterSeen) : undefined, s, now);
      dlqSeen.set(s.key, next);
      pipe.set(key, JSON.stringify(next), "PX", DEAD_LETTER_STATE_TTL_MS);
    });
  }

  const conditions = snapshots.flatMap((s) =>
    evaluateStream(s, {
      overrides: settings.alerts.rules,
      families: settings.families,
      deadLetterGlobs: dlqGlobs,
      now,
      deadLetter: dlqSeen.get(s.key),
    }),
  );
  await opts.heartbeat?.();
  const applied = await applyConditions(redis, { conditions, evaluatedStreams: new Set(keys), now }, store);

  const events: WebhookEvent[] = [
    ...applied.fired
      .filter((t) => t.notify)
      .map((t) => ({ event: "firing" as const, alert: t.alert, value: t.value, at: now })),
    ...applied.resolved
      .filter((t) => t.notify)
      .map((t) => ({ event: "resolved" as const, alert: t.alert, value: t.value, at: now })),
  ];
  const allowPrivate = settings.alerts.allowPrivateWebhooks === true;
  const webhooks = settings.alerts.webhooks.map((w) => ({ ...w, allowPrivate }));
  const webhooksQueued =
    webhooks.length > 0 && events.length > 0 ? (opts.webhooks ?? getWebhookQueue()).enqueue(webhooks, events) : 0;

  return { ...applied, streams: snapshots.length, conditions, webhooksQueued };
}

/** At most this many streams are re-evaluated after one action (the stream, a dead-letter target). */
export const MAX_STREAMS_AFTER_ACTION = 2;

/**
 * Right after a message action changed `streams`, re-evaluates their alerts so the banner does
 * not wait for the worker's next evaluation. Never fails the action: an error (loading the
 * settings included, hence a promise is accepted) is logged.
 */
export async function reevaluateAfterAction(
  redis: RedisConnection,
  settings: Settings | Promise<Settings>,
  streams: readonly string[],
  now = Date.now(),
): Promise<void> {
  const keys = [...new Set(streams)].slice(0, MAX_STREAMS_AFTER_ACTION);
  try {
    await evaluateKeys(redis, await settings, keys, { now });
  } catch (err) {
    log.warn(
      { err: safeErr(err), streams: keys },
      "alert re-evaluation after an action failed; the next scheduled one will catch up",
    );
  }
}
