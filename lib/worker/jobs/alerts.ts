import "server-only";
import { evaluateAlerts } from "@/lib/alerts/evaluate";
import type { WorkerJob } from "../types";
import { keyMatchOf } from "./key-match";

/** The worker job: evaluates the alert rules; webhook deliveries go out in the background. */
export const alertsJob: WorkerJob = {
  name: "alerts",
  cadenceMs: 15_000,
  async run(ctx) {
    const r = await evaluateAlerts(ctx.redis, ctx.settings, {
      now: ctx.now,
      match: keyMatchOf(ctx),
      heartbeat: ctx.heartbeat,
    });
    const notes = [
      ...r.fired.map((t) => `fired: ${t.alert.message}`),
      ...r.resolved.map(
        (t) => `resolved: ${t.alert.rule} on ${t.alert.stream}${t.alert.group ? ` / ${t.alert.group}` : ""}`,
      ),
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
