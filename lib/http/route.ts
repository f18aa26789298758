import "server-only";
import { AppError } from "@/lib/errors";
import { isConnectionError } from "@/lib/redis/client";
import { log } from "@/lib/log";

/**
 * What a route needs from the caller. `read` for every GET, `operate` for message actions,
 * `admin` for destructive admin. Access control hooks in here (one place for every route).
 */
export type Permission = "read" | "operate" | "admin";

export interface RouteSpec {
  permission: Permission;
  /** Name of the mutation, for the audit trail. */
  action?: string;
}

export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

type Handler = (req: Request, ctx: RouteContext) => Promise<unknown>;

export function errorResponse(err: unknown, req?: Request): Response {
  if (err instanceof AppError) {
    return Response.json(err.toBody(), { status: err.status, headers: noStore });
  }
  if (isConnectionError(err)) {
    const body = new AppError("REDIS_UNAVAILABLE", "Redis is unreachable; retrying in the background").toBody();
    return Response.json(body, { status: 503, headers: noStore });
  }
  if (err instanceof Error && /WRONGTYPE/.test(err.message)) {
    return Response.json(new AppError("WRONG_TYPE", "Key holds the wrong kind of value").toBody(), { status: 409 });
  }
  if (err instanceof Error && /NOGROUP/.test(err.message)) {
    return Response.json(new AppError("NOT_FOUND", "No such stream or consumer group").toBody(), { status: 404 });
  }
  log.error({ err, path: req ? new URL(req.url).pathname : undefined }, "unhandled error in route");
  return Response.json(new AppError("INTERNAL", "Internal error (logged on the server)").toBody(), {
    status: 500,
    headers: noStore,
  });
}

const noStore = { "cache-control": "no-store" };

/**
 * Wraps a route handler: errors become the one JSON error shape with a real status, values
 * become JSON responses. Handlers return plain data or a Response.
 */
export function apiRoute(spec: RouteSpec, handler: Handler) {
  void spec;
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    try {
      const result = await handler(req, ctx);
      if (result instanceof Response) return result;
      return Response.json(result, { headers: noStore });
    } catch (err) {
      return errorResponse(err, req);
    }
  };
}
