import { checkHealth } from "@/lib/health/health";
import { getAuth } from "@/lib/auth/config";
import { hostAllowed } from "@/lib/auth/request-checks";
import { AppError } from "@/lib/errors";
import { errorResponse, withHsts } from "@/lib/http/route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Public (load balancers ask it), so not an apiRoute; the Host check applies as everywhere. */
export async function GET(req: Request) {
  if (!hostAllowed(req, getAuth())) {
    return withHsts(req, errorResponse(new AppError("FORBIDDEN", "This host name is not served here")));
  }
  const { status, body } = await checkHealth();
  return withHsts(req, Response.json(body, { status, headers: { "cache-control": "no-store" } }));
}
