import "server-only";
import type { ResolvedAuth } from "./config";

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
  if (auth.publicUrl && (lower === auth.publicUrl.host.toLowerCase() || lower === auth.publicUrl.hostname.toLowerCase())) return true;
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
 * The caller's address as Next.js reports it: X-Forwarded-For, which Next fills from the socket
 * only when the client did not send one. Good enough for the audit trail and rate limits, never
 * for trust decisions.
 */
export function clientIp(req: Request): string {
  const xff = req.headers.get("x-forwarded-for");
  const first = xff?.split(",")[0]?.trim();
  return first ? first.slice(0, 64) : "unknown";
}

export function isSecureRequest(req: Request, auth: ResolvedAuth): boolean {
  if (auth.publicUrl?.protocol === "https:") return true;
  if (req.headers.get("x-forwarded-proto")?.toLowerCase() === "https") return true;
  try {
    return new URL(req.url).protocol === "https:";
  } catch {
    return false;
  }
}
