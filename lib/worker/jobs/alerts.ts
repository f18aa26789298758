import "server-only";
import { DEFAULT_MAX_STREAMS_PER_RUN, evaluateKeys } from "@/lib/alerts/evaluate";
import { deadLetterGlobs, resolveAlertThresholds } from "@/lib/alerts/rules";
import type { Settings } from "@/lib/config/settings";
import { globMatch } from "@/lib/shared/glob";
import { hasUndelivered, type StreamSnapshot } from "@/lib/streams/snapshot";
import { ChangeMemo, streamsFor } from "../tick-streams";
import type { JobContext, JobResult, WorkerJob } from "../types";

/** An unchanged stream is evaluated again after this long, so its firing alerts' last-seen time stays recent. */
export const UNCHANGED_EVALUATE_EVERY_MS = 5 * 60_000;

/**
 * True when the stream's conditions can change with time alone: pending messages (they grow
 * stuck, their consumers inactive), entries waiting when a rule watches the lag in time, an
 * expiry within the expiring rule's window, or a dead-letter stream (its quiet period).
 */
function changesWithTime(s: StreamSnapshot, settings: Settings, dlqGlobs: readonly string[]): boolean {
  if (s.groups.some((g) => g.pending > 0)) return true;
  if (
    settings.alerts.rules.some((r) => r.lagSecondsOver !== undefined) &&
    s.groups.some((g) => hasUndelivered(s.lastEntryId ?? null, g.lastDeliveredId))
  )
    return true;
  const { expiringWithinMs } = resolveAlertThresholds(settings.alerts.rules, s.key, null);
  if (s.ttlMs !== null && s.ttlMs <= expiringWithinMs) return true;
  return dlqGlobs.some((g) => globMatch(g, s.key));
}

/**
 * The worker job: evaluates the alert rules on the tick's streams that changed since their last
 * evaluation or whose conditions change with time (at most `alerts.maxStreamsPerRun`; the rest
 * next tick); webhook deliveries go out in the background. Alerts of streams left alone stay as
 * they are.
 */
export const alertsJob: WorkerJob = {
  name: "alerts",
  cadenceMs: 15_000,
  async run(ctx: JobContext): Promise<JobResult> {
    const max = ctx.settings.alerts.maxStreamsPerRun ?? DEFAULT_MAX_STREAMS_PER_RUN;
    const slice = await streamsFor(ctx, "alerts", { max });
    const memo = ChangeMemo.of<{ at: number; timed: boolean }>(ctx, "alerts");
    memo.prune(slice);
    const dlqGlobs = deadLetterGlobs(ctx.settings.alerts.deadLetterStreams, ctx.settings.groups);
    const due: { snapshot: StreamSnapshot; timed: boolean }[] = [];
    let unchanged = 0;
    for (const s of slice.streams) {
      const timed = changesWithTime(s, ctx.settings, dlqGlobs);
      const before = memo.unchanged(s);
      if (!timed && before && !before.timed && ctx.now - before.at < UNCHANGED_EVALUATE_EVERY_MS) {
        unchanged++;
        continue;
      }
      if (due.length < max) due.push({ snapshot: s, timed });
    }
    const r = await evaluateKeys(
      ctx.redis,
      ctx.settings,
      due.map((d) => d.snapshot.key),
      { now: ctx.now, heartbeat: ctx.heartbeat },
    );
    for (const d of due) memo.remember(d.snapshot, { at: ctx.now, timed: d.timed });
    const notes = [
      ...r.fired.map((t) => `fired: ${t.alert.message}`),
      ...r.resolved.map(
        (t) => `resolved: ${t.alert.rule} on ${t.alert.stream}${t.alert.group ? ` / ${t.alert.group}` : ""}`,
      ),
    ].slice(0, 50);
    return {
      counts: {
        streams: r.streams,
        unchanged,
        firing: r.firing,
        fired: r.fired.length,
        resolved: r.resolved.length,
        webhooksQueued: r.webhooksQueued,
        trimmed: r.trimmed,
      },
      notes,
      commands: slice.commands + 4 + due.length * 5,
    };
  },
};
