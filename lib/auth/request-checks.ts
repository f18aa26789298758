import "server-only";
import { getAuth, type ResolvedAuth } from "./config";
import { socketAddress } from "./socket";
import { safeEqual } from "./token-hash";

/**
 * Per-request checks that do not depend on who is asking: is this a Host the app serves (DNS
 * rebinding), is a mutating browser request same-origin (CSRF), which address asked.
 */
const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith("[")) {
    const end = h.indexOf("]");
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const colon = h.indexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return LOOPBACK_HOSTNAMES.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The Host header must name this app: a loopback name (any port), publicUrl's host, or an allowed host. */
export function hostAllowed(req: Request, auth: ResolvedAuth): boolean {
  const host = req.headers.get("host");
  if (!host) return false;
  const lower = host.trim().toLowerCase();
  if (isLoopbackHostname(hostnameOf(lower))) return true;
  if (
    auth.publicUrl &&
    (lower === auth.publicUrl.host.toLowerCase() || lower === auth.publicUrl.hostname.toLowerCase())
  )
    return true;
  return auth.allowedHosts.includes(lower) || auth.allowedHosts.includes(hostnameOf(lower));
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * A state-changing request from a browser must come from our own pages: its Origin matches the
 * Host it was sent to (or publicUrl), or, without Origin, Sec-Fetch-Site says same-origin/none.
 * A request with neither header is not from a browser (curl, scripts), so CSRF cannot apply.
 */
export function sameOrigin(req: Request, auth: ResolvedAuth): boolean {
  const origin = req.headers.get("origin");
  const fetchSite = req.headers.get("sec-fetch-site")?.toLowerCase();
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return false;
  if (origin) {
    if (origin === "null") return false;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    const host = req.headers.get("host")?.trim().toLowerCase();
    if (host && parsed.host.toLowerCase() === host) return true;
    return !!auth.publicUrl && parsed.origin === auth.publicUrl.origin;
  }
  return true;
}

/**
 * A browser can send a cross-site request without a CORS preflight only with a "simple" content
 * type (form, text/plain). So a mutation that carries neither Origin nor Sec-Fetch-Site (which
 * sameOrigin() cannot judge) must say `application/json`: a browser must preflight that.
 */
export function needsJsonContentType(req: Request): boolean {
  // Only POST can be sent cross-site without a preflight; PUT, PATCH and DELETE always preflight.
  if (req.method !== "POST" || req.headers.get("origin") || req.headers.get("sec-fetch-site")) return false;
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  return type !== "application/json";
}

/**
 * The caller's address: the socket's peer (recorded by the hook in lib/auth/socket.ts). Only a
 * request that carries the trusted proxy's shared secret may name another address, in the last
 * `X-Forwarded-For` entry (the one the proxy appended). A client's own X-Forwarded-For is ignored.
 */
export function clientIp(req: Request, auth: ResolvedAuth = getAuth()): string {
  const tp = auth.trustedProxy;
  if (tp) {
    const secret = req.headers.get(tp.secretHeader);
    const forwarded = req.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (secret && forwarded && safeEqual(secret, tp.secret)) return forwarded.slice(0, 64);
  }
  return socketAddress(req) ?? "unknown";
}

/** Sent on every answer over https (pages by proxy.ts, the API by apiRoute). */
export const HSTS = "max-age=31536000; includeSubDomains";

export function isSecureRequest(req: Request, auth: ResolvedAuth): boolean {
  if (auth.publicUrl?.protocol === "https:") return true;
  if (req.headers.get("x-forwarded-proto")?.toLowerCase() === "https") return true;
  try {
    return new URL(req.url).protocol === "https:";
  } catch {
    return false;
  }
}
