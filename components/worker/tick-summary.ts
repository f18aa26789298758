import type { JobRun, TickResult } from "@/lib/contract/worker";
import { formatDuration } from "@/lib/shared/format";

/** "streamsCreated" -> "streams created". */
export function countLabel(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

/** The non-zero counts of a job run, e.g. "2 streams created · 1 expiry set"; "nothing to do" when none. */
export function jobCountsText(run: Pick<JobRun, "counts" | "ran" | "skipped">): string {
  if (!run.ran) return run.skipped ?? "not due";
  const parts = Object.entries(run.counts)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${v.toLocaleString("en-US")} ${countLabel(k)}`);
  return parts.length ? parts.join(" · ") : "nothing to do";
}

export type TickTone = "ok" | "warn" | "bad";

export function tickTone(tick: Pick<TickResult, "status" | "jobs">): TickTone {
  if (tick.status === "error") return "bad";
  if (tick.status === "busy") return "warn";
  const critical = tick.jobs.some((j) => (j.findings ?? []).some((f) => f.severity === "critical"));
  return critical ? "bad" : tick.jobs.some((j) => (j.findings ?? []).length > 0) ? "warn" : "ok";
}

/** One line for a toast after "Run now". */
export function tickToastText(tick: TickResult): string {
  const ran = tick.jobs.filter((j) => j.ran);
  const errors = ran.filter((j) => j.error);
  const did = ran
    .filter((j) => !j.error)
    .map((j) => `${j.name}: ${jobCountsText(j)}`)
    .join("; ");
  const head = `Tick finished in ${formatDuration(tick.durationMs)}`;
  if (errors.length)
    return `${head} with ${errors.length} failed job(s): ${errors.map((j) => `${j.name} (${j.error})`).join(", ")}`;
  return did ? `${head}. ${did}` : head;
}

/**
 * Counts that say what a job looked at, not what it changed: a tick whose jobs report only these
 * (and no error, finding or note of a change) is idle.
 */
const LOOKED_AT = new Set([
  "streams",
  "groups",
  "samples",
  "streamsChecked",
  "groupsChecked",
  "examined",
  "expiringSoon",
  "streamsWithTrim",
  "firing",
]);

/** What one tick changed, per job that ran: "rotation: 2 streams created", "trim failed: boom". */
export function tickChanges(tick: Pick<TickResult, "status" | "message" | "jobs">): string[] {
  const out: string[] = [];
  if (tick.status === "busy") out.push(tick.message ?? "skipped: another tick held the lock");
  for (const job of tick.jobs) {
    if (!job.ran) continue;
    if (job.error) {
      out.push(`${job.name} failed: ${job.error}`);
      continue;
    }
    const changed = Object.entries(job.counts)
      .filter(([k, v]) => v !== 0 && !LOOKED_AT.has(k))
      .map(([k, v]) => `${v.toLocaleString("en-US")} ${countLabel(k)}`);
    const findings = (job.findings ?? []).length;
    if (findings > 0) changed.push(`${findings} finding${findings === 1 ? "" : "s"}`);
    if (changed.length) out.push(`${job.name}: ${changed.join(" · ")}`);
  }
  if (tick.status === "error" && out.length === 0) out.push(tick.message ?? "error");
  return out;
}

export type TickLine =
  | { kind: "tick"; tick: TickResult; changes: string[]; tone: TickTone }
  /** Consecutive ticks that changed nothing, newest first; `from`/`to` are the oldest and newest start. */
  | { kind: "idle"; ticks: TickResult[]; from: number; to: number };

/**
 * The last ticks, newest first, as lines: one per tick that changed something (or failed), and
 * one per run of consecutive idle ticks. A forced tick ("Run now") always gets its own line.
 */
export function foldTicks(ticks: readonly TickResult[]): TickLine[] {
  const out: TickLine[] = [];
  for (const tick of ticks) {
    const changes = tickChanges(tick);
    if (changes.length > 0 || tick.forced) {
      out.push({ kind: "tick", tick, changes, tone: tickTone(tick) });
      continue;
    }
    const last = out[out.length - 1];
    if (last?.kind === "idle") {
      last.ticks.push(tick);
      last.from = tick.startedAt;
    } else {
      out.push({ kind: "idle", ticks: [tick], from: tick.startedAt, to: tick.startedAt });
    }
  }
  return out;
}

export function idleLineText(line: Extract<TickLine, { kind: "idle" }>): string {
  return `${line.ticks.length} idle tick${line.ticks.length === 1 ? "" : "s"}`;
}
