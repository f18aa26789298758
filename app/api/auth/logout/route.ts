import { apiRoute } from "@/lib/http/route";
import { logout } from "@/lib/auth/login";
import type { LogoutResponse } from "@/lib/contract/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<LogoutResponse>({ permission: "read", public: true }, async (req) =>
  Response.json({ ok: true }, { headers: { "set-cookie": await logout(req), "cache-control": "no-store" } }),
);
