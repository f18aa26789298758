import "server-only";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { getConnection, getWriteConnection } from "@/lib/redis/client";
import { workerKeys } from "./keys";
import { INSTANCE_ID } from "./lock";
import { tick } from "./tick";
import { processState } from "@/lib/runtime/state";

const running = processState<{ stop: () => void } | undefined>("scheduler", () => undefined, { keepOnReset: true });

/**
 * Runs a tick every WORKER_INTERVAL_MS in this process (WORKER=off: never). A failed tick
 * (Redis down, anything) is logged and the next interval tries again; it never throws.
 * Ticks never overlap: the next is scheduled when the previous ends.
 */
export function startScheduler(): { stop: () => void } | null {
  const env = getEnv();
  if (env.WORKER === "off") {
    log.info("worker scheduler off (WORKER=off); POST /api/worker still runs ticks");
    return null;
  }
  if (running.value) return running.value;
  const intervalMs = env.WORKER_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const announce = async (fields: Record<string, string>) => {
    // On a cluster the Cluster client: the single-node client would hit MOVED for keys on other masters.
    const redis = await getConnection();
    await redis
      .multi()
      .hset(workerKeys.scheduler(), { instance: INSTANCE_ID, intervalMs: String(intervalMs), ...fields })
      .pexpire(workerKeys.scheduler(), intervalMs * 4)
      .exec();
  };

  const schedule = () => {
    if (stopped) return;
    const nextAt = Date.now() + intervalMs;
    announce({ nextAt: String(nextAt) }).catch(() => undefined);
    timer = setTimeout(run, intervalMs);
    timer.unref?.();
  };

  const run = async () => {
    try {
      const result = await tick({ redis: await getWriteConnection() });
      if (result.status === "busy") log.info({ message: result.message }, "worker tick skipped: busy");
      await announce({ lastError: "" }).catch(() => undefined);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn({ err: message }, "worker tick failed; retrying next interval");
      await announce({ lastError: message }).catch(() => undefined);
    } finally {
      schedule();
    }
  };

  log.info({ intervalMs, instance: INSTANCE_ID }, "worker scheduler started");
  schedule();
  const handle = {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      running.value = undefined;
    },
  };
  running.value = handle;
  return handle;
}
