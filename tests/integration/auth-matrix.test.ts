/**
 * Every route × every kind of caller → the status it must get. Routes are discovered from
 * app/api/**\/route.ts; a route missing from ROUTE_PERMISSIONS fails here. Authorized callers
 * must not get 401/403 (the handler may still answer 400/404 to the empty input); refused ones
 * get exactly 401 or 403.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { roleAllows, type Role } from "@/lib/auth/roles";
import { auditKey, readAudit, recordAudit } from "@/lib/audit/audit";
import { callRoute } from "../helpers/route";
import { testRedis, uniquePrefix } from "../helpers/redis";
import { CROSS_ORIGIN, sessionCookieHeader, useConfig } from "../helpers/auth";
import { tokenCallers } from "../helpers/token-caller";
import { discoverRoutes, fillPattern, keyRoutes, type DiscoveredRoute } from "../helpers/routes";
import { ROUTE_PERMISSIONS, ROUTE_SCOPE, UNWRAPPED_ROUTES, type RouteAccess } from "../helpers/route-permissions";
import { auditEntry } from "../helpers/audit";

const redis = testRedis();
const prefix = uniquePrefix("matrix");
const streamKey = `${prefix}s`;
const { headers, auth } = tokenCallers({
  redis,
  prefix,
  appPrefix: true,
  users: { vera: "viewer", otto: "operator", ada: "admin" },
  tokens: {
    viewer: { token: "tok-viewer-0123456789abcdef0123456789", role: "viewer" },
    operator: { token: "tok-operator-0123456789abcdef012345", role: "operator" },
    scoped: { token: "tok-scoped-0123456789abcdef0123456789", role: "operator", streams: ["elsewhere:*"] },
  },
});

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** role when authenticated, null when anonymous */
  role: Role | null;
  crossOrigin?: boolean;
  outOfScope?: boolean;
  rebinding?: boolean;
}

// A fresh session per request: the matrix also calls logout, which ends the session it is sent.
const cookie = (u: string) => ({ cookie: sessionCookieHeader({ u, m: "password" }) });

const CALLERS: Caller[] = [
  { name: "anonymous", headers: {}, role: null },
  {
    name: "viewer (cookie)",
    get headers() {
      return cookie("vera");
    },
    role: "viewer",
  },
  {
    name: "operator (cookie)",
    get headers() {
      return cookie("otto");
    },
    role: "operator",
  },
  {
    name: "admin (cookie)",
    get headers() {
      return cookie("ada");
    },
    role: "admin",
  },
  { name: "viewer (bearer)", headers: headers("viewer"), role: "viewer" },
  { name: "operator (bearer)", headers: headers("operator"), role: "operator" },
  {
    name: "operator (bearer, other streams)",
    headers: headers("scoped"),
    role: "operator",
    outOfScope: true,
  },
  { name: "wrong bearer", headers: { authorization: "Bearer nope" }, role: null },
  {
    name: "admin, cross-origin",
    get headers() {
      return { ...cookie("ada"), ...CROSS_ORIGIN };
    },
    role: "admin",
    crossOrigin: true,
  },
  {
    name: "admin, foreign Host",
    get headers() {
      return { ...cookie("ada"), host: "evil.example:3000" };
    },
    role: "admin",
    rebinding: true,
  },
];

type Expected = "allowed" | 401 | 403 | 404;

function expected(caller: Caller, access: RouteAccess, route: DiscoveredRoute, readOnly: boolean): Expected {
  if (UNWRAPPED_ROUTES.has(route.id)) return "allowed";
  if (caller.rebinding) return 403;
  const unsafe = !["GET", "HEAD"].includes(route.method);
  if (access === "public") return caller.crossOrigin && unsafe ? 403 : "allowed";
  if (!caller.role) return 401;
  if (caller.crossOrigin && unsafe) return 403;
  if (readOnly && access !== "read" && unsafe) return 403;
  if (!roleAllows(caller.role, access)) return 403;
  if (caller.outOfScope && ROUTE_SCOPE[route.id] === "global") return 403;
  if (caller.outOfScope && route.pattern.includes("[key]")) return 404;
  return "allowed";
}

let routes: DiscoveredRoute[] = [];

beforeAll(async () => {
  await redis.xadd(streamKey, "1-1", "f", "v");
  await redis.xgroup("CREATE", streamKey, "g", "0");
  routes = await discoverRoutes();
});

async function call(route: DiscoveredRoute, caller: Caller, key = streamKey, body: unknown = {}) {
  const { path, params } = fillPattern(route.pattern, { key, group: "g", consumer: "c", id: "a1" });
  const unsafe = !["GET", "HEAD"].includes(route.method);
  return callRoute(route.handler, path, {
    method: route.method,
    params,
    ...(unsafe ? { body } : {}),
    headers: caller.headers,
  });
}

function check(status: number, want: Expected, label: string) {
  if (want === "allowed") expect([401, 403], label).not.toContain(status);
  else expect(status, label).toBe(want);
}

function checkBody(body: unknown, want: Expected, label: string) {
  if (want === 404)
    expect(body, label).toEqual({ error: { code: "NOT_FOUND", message: `No stream named "${streamKey}"` } });
}

describe("route table", () => {
  it("lists every route on disk", async () => {
    const missing = routes.filter((r) => !(r.id in ROUTE_PERMISSIONS)).map((r) => r.id);
    expect(missing, "routes without an entry in tests/helpers/route-permissions.ts").toEqual([]);
    const scopeless = routes.filter((r) => !(r.id in ROUTE_SCOPE) && !r.pattern.includes("[key]")).map((r) => r.id);
    expect(
      scopeless,
      "routes without a [key] and without an entry in ROUTE_SCOPE (tests/helpers/route-permissions.ts)",
    ).toEqual([]);
    expect(routes.length).toBeGreaterThan(5);
  });
});

describe("access matrix", () => {
  beforeAll(() => {
    useConfig({ auth: auth() });
  });
  for (const caller of CALLERS) {
    it(`${caller.name}`, async () => {
      for (const route of routes) {
        const access = ROUTE_PERMISSIONS[route.id];
        if (!access) continue;
        const res = await call(route, caller);
        const want = expected(caller, access, route, false);
        check(res.status, want, `${caller.name} → ${route.id} (${JSON.stringify(res.body).slice(0, 120)})`);
        checkBody(res.body, want, `${caller.name} → ${route.id}`);
      }
    });
  }
});

describe("access matrix in read-only mode", () => {
  beforeAll(() => {
    useConfig({ auth: { ...auth(), readOnly: true } });
  });
  for (const caller of CALLERS.filter((c) => ["admin (cookie)", "operator (bearer)", "anonymous"].includes(c.name))) {
    it(`${caller.name}`, async () => {
      for (const route of routes) {
        const access = ROUTE_PERMISSIONS[route.id];
        if (!access) continue;
        const res = await call(route, caller);
        check(res.status, expected(caller, access, route, true), `read-only: ${caller.name} → ${route.id}`);
      }
    });
  }
});

describe("local mode (no auth configured)", () => {
  beforeAll(() => {
    useConfig({});
  });
  it("lets same-origin callers do anything but refuses cross-origin mutations and foreign hosts", async () => {
    for (const route of routes) {
      const unsafe = !["GET", "HEAD"].includes(route.method);
      const wrapped = !UNWRAPPED_ROUTES.has(route.id);
      const plain = await call(route, { name: "local", headers: {}, role: "admin" });
      check(plain.status, "allowed", `local → ${route.id}`);
      const cross = await call(route, { name: "cross", headers: CROSS_ORIGIN, role: "admin" });
      check(cross.status, unsafe && wrapped ? 403 : "allowed", `local cross-origin → ${route.id}`);
      const rebound = await call(route, { name: "rebound", headers: { host: "attacker.example" }, role: "admin" });
      check(rebound.status, wrapped ? 403 : "allowed", `local rebinding → ${route.id}`);
    }
  });
});

describe("the app's own keys", () => {
  const appStream = () => auditKey();
  const history = `${prefix}app:history:s`;
  const real = auditEntry();
  const onlyAuditFields = async (key: string) => {
    const rows = (await redis.xrange(key, "-", "+", "COUNT", 1000)) as [string, string[]][];
    return rows.every(([, f]) => f.length === 4 && f[0] === "e" && f[2] === "m");
  };

  beforeAll(async () => {
    useConfig({ auth: auth() });
    await recordAudit(real);
    // A group with a pending entry on the audit stream, so that every group route would have
    // something to read or change there.
    await redis.xgroup("CREATE", appStream(), "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", appStream(), ">");
    await redis.xadd(history, "*", "t", "1");
  });

  for (const caller of CALLERS.filter((c) => c.role && !c.crossOrigin && !c.rebinding)) {
    it(`answer 404 on every {key} route, like a missing stream: ${caller.name}`, async () => {
      const routesWithKey = keyRoutes(routes);
      expect(routesWithKey.length).toBeGreaterThanOrEqual(20);
      for (const route of routesWithKey) {
        for (const key of [appStream(), history]) {
          const res = await call(route, caller, key);
          expect(res.status, `${caller.name} → ${route.id} on ${key} (${JSON.stringify(res.body).slice(0, 120)})`).toBe(
            404,
          );
          expect(res.body).toMatchObject({ error: { code: "NOT_FOUND" } });
        }
      }
      expect(await redis.xlen(history)).toBe(1);
      expect(((await redis.xpending(appStream(), "g")) as unknown[])[0]).toBe(1);
      expect(await onlyAuditFields(appStream())).toBe(true);
    });
  }

  it("answer 404 in local mode too", async () => {
    useConfig({});
    try {
      for (const route of keyRoutes(routes)) {
        const res = await call(route, { name: "local", headers: {}, role: "admin" }, appStream());
        expect(res.status, `local → ${route.id}`).toBe(404);
      }
    } finally {
      useConfig({ auth: auth() });
    }
  });

  it("refuse an operator's publish of a forged admin entry into the audit trail, and write nothing", async () => {
    const publish = routes.find((r) => r.id === "POST /api/streams/[key]/messages")!;
    const forged = JSON.stringify({ ...real, who: "forged-admin", action: "settings.update" });
    for (const key of [appStream(), history]) {
      const res = await call(publish, CALLERS[2]!, key, { fields: [["e", forged]] });
      expect(res.status, key).toBe(404);
    }
    expect(await redis.xlen(history)).toBe(1);
    expect(await onlyAuditFields(appStream())).toBe(true);
    const { entries } = await readAudit(redis, { limit: 1000 });
    expect(entries.some((e) => e.who === "forged-admin")).toBe(false);
    expect(entries.some((e) => e.action === "stream.publish" && e.who === "otto" && e.status === 404)).toBe(true);
  });

  it("refuse a dead-letter target and a redrive origin among the app's keys (404), and move nothing", async () => {
    const deadLetter = routes.find((r) => r.id === "POST /api/streams/[key]/groups/[group]/dead-letter")!;
    const redrive = routes.find((r) => r.id === "POST /api/streams/[key]/redrive")!;
    const src = `${prefix}dl-src`;
    await redis.xadd(src, "1-0", "f", "v");
    await redis.xgroup("CREATE", src, "g", "0");
    await redis.xreadgroup("GROUP", "g", "c", "COUNT", 1, "STREAMS", src, ">");
    for (const target of [appStream(), history]) {
      const res = await call(deadLetter, CALLERS[3]!, src, { ids: ["1-0"], target });
      expect(res.status, target).toBe(404);
    }
    expect(((await redis.xpending(src, "g")) as unknown[])[0]).toBe(1);
    expect(await redis.xlen(history)).toBe(1);
    expect(await onlyAuditFields(appStream())).toBe(true);

    // Two batches: the first would go to an ordinary stream, the second to the audit trail.
    const dlq = `${prefix}dl-dlq`;
    const origin = `${prefix}dl-origin`;
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) {
      const to = i === 599 ? appStream() : origin;
      ids.push((await redis.xadd(dlq, "*", "f", String(i), "streamscope-origin-stream", to))!);
    }
    for (const dryRun of [true, false]) {
      const res = await call(redrive, CALLERS[3]!, dlq, { ids, dryRun });
      expect(res.status, `dryRun ${dryRun}`).toBe(404);
    }
    expect(await redis.xlen(dlq)).toBe(600);
    expect(await redis.exists(origin)).toBe(0);
    expect(await onlyAuditFields(appStream())).toBe(true);
  });
});
