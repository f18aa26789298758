import { familyParamsSchema, type FamilyRetentionResponse } from "@/lib/contract/families";
import { parseParams } from "@/lib/http/parse";
import { apiRoute } from "@/lib/http/route";
import { readFamilyRetention } from "@/lib/streams/retention";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<FamilyRetentionResponse>({ permission: "read" }, async (_req, ctx) => {
  const { pattern } = await parseParams(familyParamsSchema, ctx.params);
  const settings = await ctx.settings();
  return readFamilyRetention(await ctx.connection(), pattern, settings.families, ctx.visible);
});
