import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest, writeRedisForRequest } from "@/lib/redis/client";
import { getWorkerStatus, tick } from "@/lib/worker";
import type { TickResult, WorkerStatus } from "@/lib/api/worker-types";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (): Promise<WorkerStatus> => {
  return getWorkerStatus(await redisForRequest());
});

/** Runs one full tick now (every job, whatever its cadence); 409 when another tick stays busy. */
export const POST = apiRoute({ permission: "operate", action: "worker.run" }, async (): Promise<TickResult> => {
  const result = await tick({ redis: await writeRedisForRequest(), forced: true });
  if (result.status === "busy") throw new AppError("CONFLICT", result.message ?? "Another tick is running", { tick: result });
  return result;
});
