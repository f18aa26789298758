import { apiRoute } from "@/lib/http/route";
import { parseBody } from "@/lib/http/parse";
import { getEffectiveSettings, updateSettings } from "@/lib/config/settings-edit";
import type { SettingsResponse } from "@/lib/contract/settings";
import { z } from "zod";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<SettingsResponse>({ permission: "read" }, async (_req, ctx) => {
  return getEffectiveSettings(await ctx.redis());
});

/** Saves edited sections (validated by updateSettings, whose errors name the key) or resets them. */
export const PUT = apiRoute<SettingsResponse>(
  { permission: "admin", action: "settings.update", globalScope: true },
  async (req, ctx) => {
    const body = await parseBody(z.unknown(), req);
    return updateSettings(await ctx.redis(), body);
  },
);
