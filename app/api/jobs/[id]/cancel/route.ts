import { cancelJob, getJob } from "@/lib/actions/jobs";
import { jobParamsSchema, type JobResponse } from "@/lib/contract/jobs";
import { notFound } from "@/lib/errors";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<JobResponse>({ permission: "operate", action: "job.cancel" }, async (_req, ctx) => {
  const { id } = await parseParams(jobParamsSchema, ctx.params);
  const redis = await ctx.writeRedis();
  const job = await getJob(redis, id, Date.now());
  if (!job || !ctx.visible(job.stream)) throw notFound(`No job "${id}"`);
  return { job: await cancelJob(redis, id, Date.now()) };
});
