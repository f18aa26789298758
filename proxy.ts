import { NextResponse, type NextRequest } from "next/server";
import { getAuth } from "@/lib/auth/config";
import { authenticate } from "@/lib/auth/identity";
import { hostAllowed } from "@/lib/auth/request-checks";
import { pageCsp } from "@/lib/auth/csp";

/**
 * Next 16's request proxy (formerly middleware; Node runtime). For every request: the Host must
 * be one the app serves (DNS rebinding). For pages: login required when auth is configured
 * (redirect to /login), and a per-request nonce-based CSP. API routes do their own access
 * control in apiRoute (lib/http/route.ts); this is only the page-level guard.
 */
const PUBLIC_PAGES = new Set(["/login"]);

export async function proxy(req: NextRequest) {
  const auth = getAuth();
  if (!hostAllowed(req, auth)) {
    return new NextResponse("This host name is not served here.\n", { status: 403, headers: { "content-type": "text/plain" } });
  }
  const path = req.nextUrl.pathname;
  if (path.startsWith("/api/")) return NextResponse.next();

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce);

  if (auth.enabled && !PUBLIC_PAGES.has(path) && !(await authenticate(req))) {
    const login = new URL("/login", req.nextUrl);
    login.search = "";
    login.searchParams.set("next", `${path}${req.nextUrl.search}`);
    const res = NextResponse.redirect(login, 307);
    res.headers.set("content-security-policy", csp);
    return res;
  }

  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set("content-security-policy", csp);
  return res;
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
    },
  ],
};
