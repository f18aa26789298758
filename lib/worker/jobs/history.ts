import "server-only";
import { sampleHistory } from "@/lib/history/sampler";
import type { WorkerJob } from "../types";
import { keyMatchOf } from "./key-match";

/**
 * The worker job: samples every stream and group into bounded history. Its cadence is the
 * default sampling period; settings.history.sampleEveryMs is honoured inside (a tick that
 * comes too early is skipped unless forced).
 */
export const historyJob: WorkerJob = {
  name: "history",
  cadenceMs: 10_000,
  async run(ctx) {
    const r = await sampleHistory(ctx.redis, ctx.settings, {
      now: ctx.now,
      forced: ctx.forced,
      match: keyMatchOf(ctx),
      heartbeat: ctx.heartbeat,
    });
    return {
      counts: { streams: r.streams, groups: r.groups, samples: r.written, failed: r.failed },
      notes: r.skipped ? ["skipped: sampled less than sampleEveryMs ago"] : [],
      commands: r.skipped ? 1 : 5 + r.streams * 3 + r.written * 2,
    };
  },
};
