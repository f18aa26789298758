import "server-only";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { isConnectionError } from "./client";

/**
 * Runs `work` again after a lost connection or during a failover (CLUSTERDOWN, TRYAGAIN, READONLY,
 * a cluster's redirection budget spent: `isConnectionError`) until it answers, for at most the
 * command timeout.
 * Only for work that is safe to repeat: reads, and recorded scripts that find their own record
 * when they already ran (so an unknown outcome is re-checked inside Redis, never re-applied).
 * Any other error, or a connection still lost at the deadline, is thrown (503 for a route).
 */
export async function retryOnConnectionLoss<T>(work: () => Promise<T>, what: string): Promise<T> {
  const deadline = Date.now() + getEnv().REDIS_COMMAND_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isConnectionError(err) || Date.now() >= deadline) throw err;
      log.warn(
        { err: (err as Error).message, attempt, what },
        "redis connection lost with a command in flight; checking again",
      );
      await new Promise((r) => setTimeout(r, Math.min(50 * attempt, 500)));
    }
  }
}
