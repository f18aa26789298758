import { apiRoute } from "@/lib/http/route";
import { startOidcLogin } from "@/lib/auth/oidc";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = apiRoute<never>({ permission: "read", public: true }, async (req) => startOidcLogin(req));
