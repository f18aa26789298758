/**
 * The permission every API route must demand. A route on disk that is missing here fails the
 * matrix test: add each new route when merging. "public" routes need no login (they still check
 * Host and same-origin); "unwrapped" routes do not go through apiRoute at all.
 */
export type RouteAccess = "public" | "read" | "operate" | "admin";

export const ROUTE_PERMISSIONS: Record<string, RouteAccess> = {
  "GET /api/health": "public",
  "POST /api/auth/login": "public",
  "POST /api/auth/logout": "public",
  "GET /api/auth/me": "read",
  "GET /api/auth/oidc/login": "public",
  "GET /api/auth/oidc/callback": "public",
  "GET /api/audit": "admin",
  "GET /api/streams/[key]": "read",
  // Routes from the other branches, as DESIGN.md's HTTP API names them (unused until merged):
  "GET /api/streams": "read",
  "GET /api/streams/[key]/entries": "read",
  "GET /api/streams/[key]/history": "read",
  "POST /api/streams/[key]/messages": "operate",
  "POST /api/streams/[key]/redrive": "operate",
  "POST /api/streams/[key]/groups": "operate",
  "GET /api/streams/[key]/groups/[group]": "read",
  "DELETE /api/streams/[key]/groups/[group]": "admin",
  "GET /api/streams/[key]/groups/[group]/pending": "read",
  "GET /api/streams/[key]/groups/[group]/idle-histogram": "read",
  "GET /api/streams/[key]/groups/[group]/history": "read",
  "POST /api/streams/[key]/groups/[group]/ack": "operate",
  "POST /api/streams/[key]/groups/[group]/claim": "operate",
  "POST /api/streams/[key]/groups/[group]/requeue": "operate",
  "POST /api/streams/[key]/groups/[group]/dead-letter": "operate",
  "POST /api/streams/[key]/groups/[group]/delete": "operate",
  "POST /api/streams/[key]/groups/[group]/setid": "operate",
  "DELETE /api/streams/[key]/groups/[group]/consumers/[consumer]": "admin",
  "GET /api/worker": "read",
  "POST /api/worker": "operate",
  "GET /api/alerts": "read",
  "POST /api/alerts/[id]/silence": "operate",
  "GET /api/settings": "read",
  "PUT /api/settings": "admin",
  "GET /api/metrics": "read",
  "GET /api/overview": "read",
  "GET /api/streams/[key]/search": "read",
  "GET /api/streams/[key]/tail": "read",
  "GET /api/streams/[key]/groups/[group]/pending-profile": "read",
  "GET /api/history/rates": "read",
  "POST /api/history/sample": "operate",
  "POST /api/alerts/evaluate": "operate",
};

/** Routes that answer without apiRoute (no Host check inside; proxy.ts covers them in a server). */
export const UNWRAPPED_ROUTES = new Set(["GET /api/health"]);
