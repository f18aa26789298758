import { getSettings } from "@/lib/config/settings";
import { historyJob } from "@/lib/worker/jobs/history";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Takes one history sample now (the worker normally does, every sampleEveryMs). */
export const POST = apiRoute({ permission: "operate", action: "history.sample", globalScope: true }, async () => {
  const redis = await redisForRequest();
  const settings = await getSettings(redis);
  const result = await historyJob.run({ redis, settings, now: Date.now(), forced: true, heartbeat: async () => undefined });
  return { counts: result.counts, notes: result.notes };
});
