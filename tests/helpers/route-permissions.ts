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
  "GET /api/streams": "read",
  "GET /api/streams/[key]/entries": "read",
  "GET /api/streams/[key]/entries/[id]": "read",
  "GET /api/streams/[key]/history": "read",
  "POST /api/streams/[key]/messages": "operate",
  "POST /api/streams/[key]/redrive": "operate",
  "POST /api/streams/[key]/redrive-matching": "operate",
  "POST /api/streams/[key]/trim": "operate",
  "GET /api/streams/[key]/trim-preview": "read",
  "GET /api/families/[pattern]/retention": "read",
  "GET /api/streams/[key]/groups/[group]/deliveries": "read",
  "POST /api/streams/[key]/groups/[group]/reap": "operate",
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
  "GET /api/cluster": "read",
  "GET /api/streams/[key]/search": "read",
  "GET /api/streams/[key]/tail": "read",
  "GET /api/streams/[key]/groups/[group]/pending-profile": "read",
  "GET /api/history/rates": "read",
  "POST /api/history/sample": "operate",
  "POST /api/alerts/evaluate": "operate",
  "GET /api/streams/[key]/groups/[group]/jobs": "read",
  "GET /api/jobs/[id]": "read",
  "POST /api/jobs/[id]/cancel": "operate",
};

/**
 * How each route honours stream scope (users and tokens with `streams`). A route on disk missing
 * here fails the matrix test, and tests/integration/scope.test.ts calls every GET route as a
 * scoped caller and fails on any answer naming a stream outside the scope.
 * - "key": acts on the `{key}` in its path; out of scope answers 404 NOT_FOUND as a missing key.
 * - "filtered": answers about many streams, filtered to the caller's scope (ids outside it: 404).
 * - "global": acts on or describes every stream at once; 403 unless the caller sees every stream.
 * - "none": names no stream (login, health, the caller's own identity, settings).
 */
export type RouteScope = "key" | "filtered" | "global" | "none";

export const ROUTE_SCOPE: Record<string, RouteScope> = {
  "GET /api/health": "none",
  "POST /api/auth/login": "none",
  "POST /api/auth/logout": "none",
  "GET /api/auth/me": "none",
  "GET /api/auth/oidc/login": "none",
  "GET /api/auth/oidc/callback": "none",
  "GET /api/settings": "none",
  "GET /api/audit": "global",
  "PUT /api/settings": "global",
  "POST /api/worker": "global",
  "POST /api/alerts/evaluate": "global",
  "POST /api/history/sample": "global",
  "GET /api/streams": "filtered",
  "GET /api/overview": "filtered",
  "GET /api/cluster": "filtered",
  "GET /api/families/[pattern]/retention": "filtered",
  "GET /api/metrics": "filtered",
  "GET /api/alerts": "filtered",
  "POST /api/alerts/[id]/silence": "filtered",
  "GET /api/history/rates": "filtered",
  "GET /api/worker": "filtered",
  "GET /api/jobs/[id]": "filtered",
  "POST /api/jobs/[id]/cancel": "filtered",
};

/**
 * Routes that answer without apiRoute and without its Host check (none now: /api/health, public and
 * not an apiRoute, checks the Host itself, since API requests do not pass through proxy.ts).
 */
export const UNWRAPPED_ROUTES = new Set<string>();
