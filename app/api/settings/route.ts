import { apiRoute } from "@/lib/http/route";
import { parseBody } from "@/lib/http/parse";
import { redisForRequest } from "@/lib/redis/client";
import { getEffectiveSettings, updateSettings } from "@/lib/config/settings-edit";
import type { SettingsResponse } from "@/lib/contract/settings";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (): Promise<SettingsResponse> => {
  return getEffectiveSettings(await redisForRequest());
});

/** Saves edited sections (validated by updateSettings, whose errors name the key) or resets them. */
export const PUT = apiRoute({ permission: "admin", action: "settings.update", globalScope: true }, async (req): Promise<SettingsResponse> => {
  const body = await parseBody(z.unknown(), req);
  return updateSettings(await redisForRequest(), body);
});
