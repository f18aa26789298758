import "server-only";
import { normalizeIds, countTargets } from "@/lib/actions/batches";
import { startJob, type JobWork } from "@/lib/actions/jobs";
import { runPlan, type ActionPlan } from "@/lib/actions/pending-actions";
import { reevaluateAfterAction } from "@/lib/alerts/evaluate";
import { recordAudit } from "@/lib/audit/audit";
import { clientIp } from "@/lib/auth/request-checks";
import type { JobResponse } from "@/lib/contract/jobs";
import type { PendingAction } from "@/lib/contract/pending";
import { targetsFromBody, touchedFromResult } from "@/lib/http/audit-fields";
import type { RequestContext } from "@/lib/http/route";

/**
 * Starts a checked action plan as a background job and answers 202 `{job}` at once. The request
 * itself is audited by apiRoute (touched unknown); the job's end adds one entry with the final
 * counts and the same request fields, then re-evaluates alerts as the synchronous route does.
 */
export async function startBackgroundAction(
  req: Request,
  ctx: RequestContext,
  opts: {
    action: PendingAction;
    /** The route's audit action, e.g. `pending.ack`. */
    auditAction: string;
    stream: string;
    group: string;
    body: { ids?: string[]; filter?: unknown; pacePerSecond?: number };
    plan: ActionPlan<object>;
  },
): Promise<Response> {
  const redis = await ctx.writeRedis();
  const { stream, group, plan, body } = opts;
  const ids = plan.targets.ids;
  return startAuditedJob(req, ctx, {
    auditAction: opts.auditAction,
    body,
    streams: plan.streams,
    work: {
      action: opts.action,
      stream,
      group,
      target: ids ? `${ids.length.toLocaleString("en-US")} ids` : `filter ${JSON.stringify(body.filter ?? {})}`,
      pace: body.pacePerSecond,
      count: async () => (ids ? normalizeIds(ids).length : countTargets(redis, stream, group, plan.targets)),
      // Counts only (no per-id items): the job keeps its tally, not a list.
      run: (control) => runPlan(redis, stream, group, plan, control, false),
    },
  });
}

/**
 * Starts `work` as a background job and answers 202 `{job}`, audited as startBackgroundAction
 * says: the job's end adds one entry with the final counts, then alerts of `streams` are re-evaluated.
 */
export async function startAuditedJob(
  req: Request,
  ctx: RequestContext,
  opts: { auditAction: string; body: unknown; streams: readonly string[]; work: Omit<JobWork, "who" | "onEnd"> },
): Promise<Response> {
  const redis = await ctx.writeRedis();
  const { stream, group } = opts.work;
  const identity = ctx.identity;
  const base = {
    who: identity?.user ?? "anonymous",
    role: identity?.role ?? null,
    method: identity?.method ?? "none",
    ip: clientIp(req),
    userAgent: req.headers.get("user-agent") ?? "",
    action: opts.auditAction,
    stream,
    group,
    ...targetsFromBody(opts.body),
  };
  const job = await startJob(redis, {
    ...opts.work,
    who: base.who,
    onEnd: async (ended) => {
      const failed = ended.status === "failed";
      await recordAudit(
        {
          ...base,
          time: Date.now(),
          job: ended.id,
          ...targetsFromBody(opts.body, ended.result),
          touched: touchedFromResult(ended.result) ?? ended.ok + ended.deleted,
          result: failed ? "error" : "ok",
          status: failed ? 500 : 200,
          ...(ended.status === "cancelled" ? { reason: "CANCELLED" } : {}),
          ...(failed && ended.error ? { reason: ended.error.split(":")[0] ?? "INTERNAL" } : {}),
        },
        redis,
      );
      await reevaluateAfterAction(await ctx.redis(), ctx.settings(), opts.streams);
    },
  });
  const answer: JobResponse = { job };
  return Response.json(answer, { status: 202, headers: { "cache-control": "no-store" } });
}
