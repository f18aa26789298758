import { apiRoute } from "@/lib/http/route";
import { describeCaller } from "@/lib/auth/me";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "read" }, async (req) => describeCaller(req));
