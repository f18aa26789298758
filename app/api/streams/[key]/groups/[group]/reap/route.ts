import { countReapCandidates, reapAll, reapConsumers } from "@/lib/actions/reap";
import { resolveGroupRule } from "@/lib/config/resolve";
import { groupParamsSchema } from "@/lib/contract/common";
import { reapBodySchema, type ReapResponse } from "@/lib/contract/reap";
import { startAuditedJob } from "@/lib/http/background";
import { parseBody, parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { formatDuration } from "@/lib/shared/format";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<ReapResponse>({ permission: "operate", action: "group.reap" }, async (req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  const { background, ...body } = await parseBody(reapBodySchema, req);
  const rule = resolveGroupRule((await ctx.settings()).groups, key, group);
  const redis = await ctx.writeRedis();
  if (background && !body.dryRun) {
    return startAuditedJob(req, ctx, {
      auditAction: "group.reap",
      body,
      streams: [key],
      work: {
        action: "reap",
        stream: key,
        group,
        target: `consumers inactive over ${formatDuration(body.idleMs)}${body.to ? ` to ${body.to}` : ""} (total: idle when it started)`,
        count: () => countReapCandidates(redis, key, group, body),
        run: (control) => reapAll(redis, key, group, body, rule, control),
      },
    });
  }
  return reapConsumers(redis, key, group, body, rule);
});
