/**
 * Every API route in the file system: app/api/**\/route.ts and the HTTP methods it exports.
 * The matrix and fuzz tests iterate over these, so a new route is covered (and
 * fails until it is listed in ROUTE_PERMISSIONS).
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface DiscoveredRoute {
  /** e.g. "POST /api/streams/[key]/groups/[group]/ack" */
  id: string;
  method: string;
  pattern: string;
  file: string;
  handler: Handler;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name === "route.ts") out.push(path);
  }
  return out;
}

export async function discoverRoutes(root = process.cwd()): Promise<DiscoveredRoute[]> {
  const apiDir = join(root, "app", "api");
  const routes: DiscoveredRoute[] = [];
  for (const file of walk(apiDir).sort()) {
    const rel = relative(join(root, "app"), file).split(sep).slice(0, -1).join("/");
    const pattern = `/${rel}`;
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") {
        routes.push({ id: `${method} ${pattern}`, method, pattern, file, handler: mod[method] as Handler });
      }
    }
  }
  return routes;
}

/** Fills `[name]` segments: the params object and the concrete, encoded path. */
export function fillPattern(
  pattern: string,
  values: Record<string, string>,
): { path: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const path = pattern.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_m, _rest, name: string) => {
    const value = values[name] ?? `x-${name}`;
    params[name] = value;
    return encodeURIComponent(value);
  });
  return { path, params };
}

/** Routes that name a stream in the path (`[key]`): each must refuse the app's own keys. */
export function keyRoutes(routes: readonly DiscoveredRoute[]): DiscoveredRoute[] {
  return routes.filter((r) => r.pattern.split("/").includes("[key]"));
}
