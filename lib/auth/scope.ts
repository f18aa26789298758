import "server-only";
import { globMatch } from "@/lib/glob";
import { authenticate, type Identity } from "./identity";

/**
 * Stream scoping: a user or token with `streams` globs sees only matching keys. apiRoute checks
 * `params.key` itself; routes that LIST keys (streams list, overview, metrics) must filter with
 * streamScopeFilter(req) explicitly.
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

/** A predicate over stream keys for the request's caller (nobody → sees nothing). */
export async function streamScopeFilter(req: Request): Promise<(key: string) => boolean> {
  const identity = identityOf(req) ?? (await authenticate(req));
  if (!identity) return () => false;
  return (key) => canSeeStream(identity, key);
}
