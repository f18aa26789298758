import { NextResponse, type NextRequest } from "next/server";
import { getAuth } from "@/lib/auth/config";
import { authenticate } from "@/lib/auth/identity";
import { HSTS, hostAllowed, isSecureRequest } from "@/lib/auth/request-checks";
import { pageCsp } from "@/lib/auth/csp";

/**
 * Next 16's request proxy (formerly middleware; Node runtime), for pages: the Host must be one
 * the app serves (DNS rebinding), login required when auth is configured (redirect to /login),
 * and a per-request nonce-based CSP. A path with a malformed percent-escape is answered here,
 * before the framework tries to decode it: a JSON 400 for the API, the not-found page for pages.
 * Over https every answer carries HSTS.
 *
 * API routes do all of that themselves in apiRoute (lib/http/route.ts), so the proxy runs for an
 * API path only when its escapes could fail to decode (see `config`): running it for every API
 * request cost about a quarter of a small request's time.
 */
// `/_not-found` is where a malformed path is rewritten to (below): the 404 page, with nothing to
// hide; `/robots.txt` (public/) asks crawlers to stay out, and they do not log in.
const PUBLIC_PAGES = new Set(["/login", "/_not-found", "/robots.txt"]);

function malformedPath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

export async function proxy(req: NextRequest) {
  const res = await answer(req);
  if (isSecureRequest(req, getAuth())) res.headers.set("strict-transport-security", HSTS);
  return res;
}

async function answer(req: NextRequest): Promise<NextResponse> {
  const auth = getAuth();
  if (!hostAllowed(req, auth)) {
    return new NextResponse("This host name is not served here.\n", {
      status: 403,
      headers: { "content-type": "text/plain" },
    });
  }
  const path = req.nextUrl.pathname;
  if (malformedPath(path)) {
    if (path.startsWith("/api/")) {
      return NextResponse.json(
        { error: { code: "BAD_REQUEST", message: "Malformed percent-escape in the path" } },
        { status: 400, headers: { "cache-control": "no-store" } },
      );
    }
    return NextResponse.rewrite(new URL("/_not-found", req.url));
  }
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
    { source: "/((?!_next/static|_next/image|favicon.ico|api/).*)" },
    // API paths with a `%` that is not followed by two hex digits, or that escapes a byte above
    // 0x7f (UTF-8 that may be invalid): the ones decodeURIComponent can refuse.
    { source: "/api/(.*%(?:[89a-fA-F]|(?![0-9a-fA-F][0-9a-fA-F])).*)" },
  ],
};
