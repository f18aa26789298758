import "server-only";
import { resolveGroupRule } from "@/lib/config/resolve";
import { workerSettingsOf } from "@/lib/config/settings";
import { ChangeMemo, markChanged, streamsFor } from "../tick-streams";
import { trimAcked } from "@/lib/streams/trim";
import type { JobContext, JobResult, WorkerJob } from "../types";
import { errorText } from "@/lib/redis/errors";

export const trimJob: WorkerJob = {
  name: "trim",
  cadenceMs: 60_000,
  changesStreams: true,
  async run(ctx: JobContext): Promise<JobResult> {
    const worker = workerSettingsOf(ctx.settings);
    const counts = { streamsTrimmed: 0, entriesRemoved: 0, streamsWithTrim: 0 };
    const notes: string[] = [];
    if (!ctx.settings.groups.some((r) => r.trim))
      return { counts, notes: ["no group rule has trim: true"], commands: 0 };
    const slice = await streamsFor(ctx, "trim");
    let commands = slice.commands;
    const memo = ChangeMemo.of<true>(ctx, "trim");
    memo.prune(slice);
    let budget = worker.trimBudget;
    for (const snapshot of slice.streams) {
      const stream = snapshot.key;
      const groups = snapshot.groups;
      // Trim only when every group's rule says so: one group without trim keeps its history.
      if (groups.length === 0 || !groups.every((g) => resolveGroupRule(ctx.settings.groups, stream, g.name).trim))
        continue;
      counts.streamsWithTrim++;
      // What a trim removes depends only on the stream and its groups: unchanged since a trim that removed nothing, nothing to do.
      if (memo.unchanged(snapshot)) continue;
      await ctx.heartbeat();
      let out;
      try {
        out = await trimAcked(ctx.redis, stream, budget);
      } catch (err) {
        notes.push(`${stream}: trim failed: ${errorText(err)}`);
        continue;
      }
      commands += out.calls;
      if (out.removed === 0) memo.remember(snapshot, true);
      else markChanged(ctx, stream);
      if (out.removed > 0) {
        counts.streamsTrimmed++;
        counts.entriesRemoved += out.removed;
        notes.push(`${stream}: trimmed ${out.removed} entries below ${out.threshold}`);
      }
      budget -= out.removed;
      if (budget <= 0) {
        notes.push(`trim budget (${worker.trimBudget} entries) used up; the rest next tick`);
        break;
      }
    }
    return { counts, notes, commands };
  },
};
