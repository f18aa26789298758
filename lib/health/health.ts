import "server-only";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { connectionProblem, getRedis, getServerInfo, isClusterMode, isConnectionError } from "@/lib/redis/client";
import { clusterNodes } from "@/lib/redis/topology";
import { probeTls } from "@/lib/redis/tls";
import { isSupported, unsupportedMessage } from "@/lib/redis/server-info";
import type { HealthResponse } from "@/lib/contract/common";

export async function checkHealth(): Promise<{ status: number; body: HealthResponse }> {
  // A known TLS failure answers at once (the connection keeps reconnecting in the background).
  const known = connectionProblem();
  if (known) return { status: 503, body: { status: "error", error: { code: "REDIS_UNAVAILABLE", message: known } } };
  try {
    // The version is cached per connection; the ping proves the connection is alive now.
    await getRedis().ping();
    const info = await getServerInfo();
    if (!isSupported(info)) {
      const error = new AppError("UNSUPPORTED_VERSION", unsupportedMessage(info));
      return { status: 503, body: { status: "error", error: error.toBody().error } };
    }
    const redis = { version: info.version, mode: info.mode, flavor: info.flavor };
    if (!(await isClusterMode())) return { status: 200, body: { status: "ok", redis } };
    return {
      status: 200,
      body: { status: "ok", redis: { ...redis, mode: "cluster", nodes: await clusterNodes(getRedis()) } },
    };
  } catch (err) {
    const refused = err instanceof Error && /^(WRONGPASS|NOAUTH)/.test(err.message);
    const code = isConnectionError(err) || refused ? "REDIS_UNAVAILABLE" : "INTERNAL";
    const tls =
      code === "REDIS_UNAVAILABLE" && !refused
        ? (connectionProblem(err) ?? (await probeTls(getEnv().REDIS_URL, 2000)))
        : null;
    const message = refused
      ? "Redis refused the dashboard's credentials (check REDIS_URL)"
      : code === "REDIS_UNAVAILABLE"
        ? (tls ?? "Redis is unreachable")
        : "Health check failed";
    return { status: 503, body: { status: "error", error: { code, message } } };
  }
}
