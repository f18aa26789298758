import { listJobs } from "@/lib/actions/jobs";
import { groupParamsSchema } from "@/lib/contract/common";
import type { JobListResponse } from "@/lib/contract/jobs";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<JobListResponse>({ permission: "read" }, async (_req, ctx) => {
  const { key, group } = await parseParams(groupParamsSchema, ctx.params);
  return { jobs: await listJobs(await ctx.redis(), key, group, Date.now()) };
});
