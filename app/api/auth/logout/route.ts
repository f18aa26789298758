import { apiRoute } from "@/lib/http/route";
import { logoutCookie } from "@/lib/auth/login";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute({ permission: "read", public: true }, async (req) =>
  Response.json({ ok: true }, { headers: { "set-cookie": logoutCookie(req), "cache-control": "no-store" } }),
);
