import { apiRoute } from "@/lib/http/route";
import { logout } from "@/lib/auth/login";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "read", public: true }, async (req) =>
  Response.json({ ok: true }, { headers: { "set-cookie": await logout(req), "cache-control": "no-store" } }),
);
