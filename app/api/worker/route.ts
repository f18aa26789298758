import { AppError } from "@/lib/errors";
import { seesEveryStream, streamScopeFilter } from "@/lib/auth/scope";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest, writeRedisForRequest } from "@/lib/redis/client";
import { getWorkerStatus, scopeTick, tick } from "@/lib/worker";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The worker's state; a caller limited to some streams sees the ticks without what they name. */
export const GET = apiRoute({ permission: "read" }, async (req): Promise<WorkerStatus> => {
  const status = await getWorkerStatus(await redisForRequest());
  if (await seesEveryStream(req)) return status;
  const visible = await streamScopeFilter(req);
  return { ...status, ticks: status.ticks.map((t) => scopeTick(t, visible)), scheduler: { ...status.scheduler, lastError: status.scheduler.lastError ? "failed (details hidden)" : null } };
});

/** Runs one full tick now (every job, whatever its cadence; callers who see every stream only); 409 when another tick stays busy. */
export const POST = apiRoute({ permission: "operate", action: "worker.run", globalScope: true }, async (): Promise<TickResult> => {
  const result = await tick({ redis: await writeRedisForRequest(), forced: true });
  if (result.status === "busy") throw new AppError("CONFLICT", result.message ?? "Another tick is running", { tick: result });
  return result;
});
