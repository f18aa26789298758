import "server-only";
import { globMatch } from "@/lib/shared/glob";
import { authenticate, type Identity } from "./identity";

/**
 * Stream scoping: a user or token with `streams` globs sees only matching keys. apiRoute checks
 * `params.key` itself (out of scope answers 404 like a missing key) and refuses routes marked
 * `globalScope`; every route that answers with stream names it did not get in its path (streams
 * list, overview, metrics, alerts, history rates, worker status) filters with streamScopeFilter(req).
 */
export function canSeeStream(identity: Pick<Identity, "streams">, key: string): boolean {
  if (!identity.streams) return true;
  return identity.streams.some((glob) => globMatch(glob, key));
}

const requestIdentities = new WeakMap<Request, Identity>();

/** apiRoute remembers who made each request so lib code can ask without authenticating again. */
export function rememberIdentity(req: Request, identity: Identity): void {
  requestIdentities.set(req, identity);
}

export function identityOf(req: Request): Identity | undefined {
  return requestIdentities.get(req);
}

/** True when the request's caller sees every stream (no `streams` globs). */
export async function seesEveryStream(req: Request): Promise<boolean> {
  const identity = identityOf(req) ?? (await authenticate(req));
  return !!identity && !identity.streams;
}

/** A predicate over stream keys for the request's caller (nobody → sees nothing). */
export async function streamScopeFilter(req: Request): Promise<(key: string) => boolean> {
  const identity = identityOf(req) ?? (await authenticate(req));
  if (!identity) return () => false;
  return (key) => canSeeStream(identity, key);
}
