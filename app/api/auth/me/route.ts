import { apiRoute } from "@/lib/http/route";
import { describeCaller } from "@/lib/auth/me";
import type { MeResponse } from "@/lib/contract/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<MeResponse>({ permission: "read" }, async (req) => describeCaller(req));
