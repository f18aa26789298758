import { apiRoute } from "@/lib/http/route";
import { parseBody } from "@/lib/http/parse";
import { loginRequestSchema } from "@/lib/contract/auth";
import { passwordLogin } from "@/lib/auth/login";
import type { LoginResponse } from "@/lib/contract/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = apiRoute<LoginResponse>({ permission: "read", public: true }, async (req) => {
  const input = await parseBody(loginRequestSchema, req, 16 * 1024);
  const { body, cookie } = await passwordLogin(req, input);
  return Response.json(body, { headers: { "set-cookie": cookie, "cache-control": "no-store" } });
});
