import type { JobRun, TickResult } from "@/lib/api/worker-types";

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
  const head = `Tick finished in ${Math.round(tick.durationMs)} ms`;
  if (errors.length) return `${head} with ${errors.length} failed job(s): ${errors.map((j) => `${j.name} (${j.error})`).join(", ")}`;
  return did ? `${head}. ${did}` : head;
}
