import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (_req, ctx) => {
  const params = await ctx.params;
  return { probe: params.key };
});
