import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { workerSettingsOf } from "@/lib/config/settings";
import { workerKeys } from "../keys";
import { markChanged, streamsFor } from "../tick-streams";
import type { JobContext, JobResult, WorkerFinding, WorkerJob } from "../types";
import { countUnprocessed } from "@/lib/streams/unprocessed";

const iso = (ms: number) => new Date(ms).toISOString();

export interface GuardOptions {
  windowMs: number;
  capMs: number;
  now: number;
}

/**
 * Keeps one stream alive while it holds unprocessed messages: when it would expire within the
 * window, its expiry moves out to now + 2 windows, but never past its planned expiry + cap.
 * The planned expiry is remembered (a self-expiring key) the first time the guard steps in.
 */
export async function guardStream(
  redis: RedisConnection,
  key: string,
  pttl: number,
  opts: GuardOptions,
): Promise<{ result: "extended" | "capped" | "at-cap" | "clean"; finding?: WorkerFinding; commands: number }> {
  const unprocessed = await countUnprocessed(redis, key);
  let commands = 2 + unprocessed.groups;
  if (unprocessed.atRisk === 0) return { result: "clean", commands };
  const currentAt = opts.now + pttl;
  const plannedKey = workerKeys.plannedExpiry(key);
  const saved = await redis.get(plannedKey);
  commands++;
  const planned = saved ? Number(saved) : currentAt;
  if (!saved) {
    await redis.set(plannedKey, String(planned), "PXAT", planned + opts.capMs + 3600_000, "NX");
    commands++;
  }
  const capAt = planned + opts.capMs;
  const target = Math.min(opts.now + 2 * opts.windowMs, capAt);
  const what = `${unprocessed.atRisk} message(s) (${unprocessed.pending} pending, ${unprocessed.waiting} waiting)`;
  // Less than a second to gain: the stream is at its cap (ms rounding between clocks aside).
  if (target <= currentAt + 1000) {
    return {
      result: "at-cap",
      commands,
      finding: {
        kind: "expiry-cap-reached",
        severity: "critical",
        stream: key,
        message: `${key} expires at ${iso(currentAt)} with ${what} unprocessed: the guard's cap (${iso(capAt)}) is reached, they will be lost`,
        messagesAtRisk: unprocessed.atRisk,
        expiresAt: currentAt,
      },
    };
  }
  // GT: never shortens an expiry, and never gives one to a key that has none.
  const changed = (await redis.call("PEXPIREAT", key, target, "GT")) as number;
  commands++;
  if (changed !== 1) return { result: "clean", commands };
  if (target >= capAt) {
    return {
      result: "capped",
      commands,
      finding: {
        kind: "expiry-cap-reached",
        severity: "critical",
        stream: key,
        message: `${key} still holds ${what}; its expiry was moved to the cap, ${iso(capAt)}: after that they will be lost`,
        messagesAtRisk: unprocessed.atRisk,
        expiresAt: capAt,
      },
    };
  }
  return {
    result: "extended",
    commands,
    finding: {
      kind: "expiry-extended",
      severity: "warning",
      stream: key,
      message: `${key} would have expired at ${iso(currentAt)} with ${what}; expiry moved to ${iso(target)} (cap ${iso(capAt)})`,
      messagesAtRisk: unprocessed.atRisk,
      expiresAt: target,
    },
  };
}

export const expiryGuardJob: WorkerJob = {
  name: "expiry-guard",
  cadenceMs: 0,
  changesStreams: true,
  async run(ctx: JobContext): Promise<JobResult> {
    const worker = workerSettingsOf(ctx.settings);
    const counts = { streamsChecked: 0, expiringSoon: 0, extended: 0, capped: 0, atCap: 0 };
    const notes: string[] = [];
    const findings: WorkerFinding[] = [];
    const slice = await streamsFor(ctx, "expiry-guard");
    let commands = slice.commands;
    counts.streamsChecked = slice.keys.length;
    for (const { key, ttlMs } of slice.streams) {
      if (ttlMs === null || ttlMs <= 0 || ttlMs > worker.guardWindowMs) continue;
      counts.expiringSoon++;
      await ctx.heartbeat();
      const out = await guardStream(ctx.redis, key, ttlMs, {
        windowMs: worker.guardWindowMs,
        capMs: worker.guardCapMs,
        now: ctx.now,
      });
      commands += out.commands;
      if (out.result === "extended" || out.result === "capped") markChanged(ctx, key);
      if (out.result === "extended") counts.extended++;
      if (out.result === "capped") counts.capped++;
      if (out.result === "at-cap") counts.atCap++;
      if (out.finding) {
        findings.push(out.finding);
        notes.push(out.finding.message);
      }
    }
    if (!slice.wrapped) notes.push(`checked ${slice.keys.length} streams; the rest next tick`);
    return { counts, notes, findings, commands };
  },
};
