import { listAlerts } from "@/lib/alerts/store";
import type { AlertsResponse } from "@/lib/api/alerts-types";
import { apiRoute } from "@/lib/http/route";
import { redisForRequest } from "@/lib/redis/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (): Promise<AlertsResponse> => {
  const redis = await redisForRequest();
  return { alerts: await listAlerts(redis, Date.now()) };
});
