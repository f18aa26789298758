import "server-only";
import type { JobContext, WorkerJob } from "@/lib/worker/types";
import { evaluateAlerts } from "./evaluate";

/** The worker job: evaluates the alert rules; webhook deliveries go out in the background. */
export const alertsJob: WorkerJob = {
  name: "alerts",
  cadenceMs: 15_000,
  async run(ctx) {
    const r = await evaluateAlerts(ctx.redis, ctx.settings, { now: ctx.now, match: keyMatchOf(ctx) });
    const notes = [
      ...r.fired.map((t) => `fired: ${t.alert.message}`),
      ...r.resolved.map((t) => `resolved: ${t.alert.rule} on ${t.alert.stream}${t.alert.group ? ` / ${t.alert.group}` : ""}`),
    ].slice(0, 50);
    return {
      counts: {
        streams: r.streams,
        firing: r.firing,
        fired: r.fired.length,
        resolved: r.resolved.length,
        webhooksQueued: r.webhooksQueued,
        trimmed: r.trimmed,
      },
      notes,
    };
  },
};

/** feat/worker's JobContext adds an optional `keyMatch` glob (tests, benches); honour it when present. */
export function keyMatchOf(ctx: JobContext): string | undefined {
  const match = (ctx as JobContext & { keyMatch?: unknown }).keyMatch;
  return typeof match === "string" && match !== "*" ? match : undefined;
}
