import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/route";
import { getWorkerStatus, scopeTick, tick } from "@/lib/worker";
import type { TickResult, WorkerStatus } from "@/lib/contract/worker";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The worker's state; a caller limited to some streams sees the ticks without what they name. */
export const GET = apiRoute<WorkerStatus>({ permission: "read", shared: true }, async (req, ctx) => {
  const status = await getWorkerStatus(await ctx.redis());
  if (ctx.seesEveryStream) return status;
  const visible = ctx.visible;
  return {
    ...status,
    ticks: status.ticks.map((t) => scopeTick(t, visible)),
    scheduler: { ...status.scheduler, lastError: status.scheduler.lastError ? "failed (details hidden)" : null },
  };
});

/** Runs one full tick now (every job, whatever its cadence; callers who see every stream only); 409 when another tick stays busy. */
export const POST = apiRoute<TickResult>(
  { permission: "operate", action: "worker.run", globalScope: true },
  async (_req, ctx) => {
    const result = await tick({ redis: await ctx.writeRedis(), forced: true });
    if (result.status === "busy")
      throw new AppError("CONFLICT", result.message ?? "Another tick is running", { tick: result });
    return result;
  },
);
