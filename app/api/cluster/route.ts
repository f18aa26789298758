import type { ClusterResponse } from "@/lib/contract/cluster";
import { readClusterOverview } from "@/lib/health/cluster";
import { apiRoute } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<ClusterResponse>({ permission: "read", shared: true }, async (_req, ctx) =>
  readClusterOverview(await ctx.connection(), { visible: ctx.visible }),
);
