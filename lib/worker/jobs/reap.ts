import "server-only";
import { reapConsumers } from "@/lib/actions/reap";
import { resolveGroupRule } from "@/lib/config/resolve";
import { workerSettingsOf } from "@/lib/config/settings";
import { formatDuration } from "@/lib/shared/format";
import { errorText } from "@/lib/redis/errors";
import { streamsFor } from "../tick-streams";
import type { JobContext, JobResult, WorkerJob } from "../types";

/**
 * The `reapAfterMs` policy: in each group whose rule sets it, consumers inactive that long hand
 * their pending messages to a live consumer, or requeue them (the rule's reapPolicy), and are
 * deleted once they own nothing (the group page's reaper, lib/actions/reap.ts). Consumers looked at
 * plus messages moved stay within `worker.reapBudget` per tick; what is left waits for the next tick.
 */
export const reapJob: WorkerJob = {
  name: "reap",
  cadenceMs: 60_000,
  changesStreams: true,
  async run(ctx: JobContext): Promise<JobResult> {
    const worker = workerSettingsOf(ctx.settings);
    // examined: idle consumers looked at (kept ones included).
    const counts = { groupsReaped: 0, examined: 0, handedOver: 0, requeued: 0, consumersDeleted: 0, failed: 0 };
    const notes: string[] = [];
    if (!ctx.settings.groups.some((r) => r.reapAfterMs !== undefined))
      return { counts, notes: ["no group rule has reapAfterMs"], commands: 0 };
    const slice = await streamsFor(ctx, "reap");
    let commands = slice.commands;
    const streams = slice.streams.map((s) => ({ stream: s.key, groups: s.groups }));
    let budget = worker.reapBudget;
    outer: for (const { stream, groups } of streams) {
      for (const g of groups) {
        const rule = resolveGroupRule(ctx.settings.groups, stream, g.name);
        const { reapAfterMs } = rule;
        if (reapAfterMs === undefined || g.consumerCount === 0) continue;
        if (budget <= 0) {
          notes.push(`reap budget (${worker.reapBudget}) used up; the rest next tick`);
          break outer;
        }
        await ctx.heartbeat();
        let out;
        try {
          out = await reapConsumers(ctx.redis, stream, g.name, { idleMs: reapAfterMs }, rule, {
            consumers: budget,
            messages: budget,
          });
        } catch (err) {
          counts.failed++;
          notes.push(`${stream} / ${g.name}: reap failed: ${errorText(err)}`);
          continue;
        }
        const looked = out.consumers.length + out.consumersOmitted;
        commands += looked + 2;
        budget -= looked + out.handedOver + out.requeued;
        counts.examined += looked;
        counts.handedOver += out.handedOver;
        counts.requeued += out.requeued;
        counts.consumersDeleted += out.deleted;
        if (out.deleted > 0 || out.handedOver > 0 || out.requeued > 0) {
          counts.groupsReaped++;
          const messages = (n: number) => `${n} message${n === 1 ? "" : "s"}`;
          const where =
            out.policy === "requeue"
              ? `${messages(out.requeued)} requeued`
              : `${messages(out.handedOver)} handed to ${out.to === null ? "nobody" : `"${out.to}"`}`;
          notes.push(
            `${stream} / ${g.name}: ${out.deleted} consumer${out.deleted === 1 ? "" : "s"} inactive over ${formatDuration(reapAfterMs)} deleted, ${where} (reapPolicy ${out.policy})`,
          );
        }
        if (out.more) notes.push(`${stream} / ${g.name}: more idle consumers left for the next tick`);
        const kept = out.consumers.filter((c) => c.outcome !== "deleted").length;
        if (kept > 0 && out.to === null && out.policy === "hand-over")
          notes.push(`${stream} / ${g.name}: ${kept} idle consumer(s) own messages and no consumer is live: kept`);
      }
    }
    return { counts, notes, commands };
  },
};
