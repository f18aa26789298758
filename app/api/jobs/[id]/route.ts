import { getJob } from "@/lib/actions/jobs";
import { jobParamsSchema, type JobResponse } from "@/lib/contract/jobs";
import { notFound } from "@/lib/errors";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<JobResponse>({ permission: "read" }, async (_req, ctx) => {
  const { id } = await parseParams(jobParamsSchema, ctx.params);
  const job = await getJob(await ctx.redis(), id, Date.now());
  // A job on a stream outside the caller's scope answers as an unknown job.
  if (!job || !ctx.visible(job.stream)) throw notFound(`No job "${id}"`);
  return { job };
});
