import "server-only";
import { randomBytes } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Server } from "node:net";
import { getAuth } from "./config";
import { NO_AUTH_MESSAGE } from "./startup-check";
import { processState } from "@/lib/runtime/state";

/**
 * What Next.js does not tell a route handler: the socket. A hook on Node's HTTP servers,
 * installed from instrumentation.ts (it runs in the process that serves requests, however the
 * server was started: `npm start`, `next start`, `next dev`), does two things on every request:
 *
 * - it writes the peer address into PEER_HEADER, overwriting any client copy, tagged with a
 *   random per-process key so that a copy sent by a client is never taken for it;
 * - in local mode (no auth configured) it refuses the request when the server's bound address is
 *   not loopback, whatever HOSTNAME or `-H` said.
 */
export const PEER_HEADER = "x-streamscope-peer";

const peerKeySlot = processState<string | undefined>("peer-key", () => undefined, { keepOnReset: true });
const socketHook = processState("socket-hook", () => false, { keepOnReset: true });

/** The per-process key that marks PEER_HEADER as written by the hook (created on first use). */
export function peerKey(): string {
  return (peerKeySlot.value ??= randomBytes(16).toString("hex"));
}

/** The socket's peer address as the hook recorded it, or undefined when no hook wrote it. */
export function socketAddress(req: Request): string | undefined {
  const key = peerKeySlot.value;
  const value = req.headers.get(PEER_HEADER);
  if (!key || !value || !value.startsWith(`${key} `)) return undefined;
  return value.slice(key.length + 1).slice(0, 64) || undefined;
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, "");
  return a === "::1" || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The address a server is bound to, or undefined while it is not listening (or on a pipe). */
export function boundAddress(server: Server): string | undefined {
  const addr = server.address();
  return addr && typeof addr === "object" ? (addr as AddressInfo).address : undefined;
}

/** Why this bound address may not serve, or null. Local mode (no auth) serves loopback only. */
export function bindingProblem(address: string | undefined): string | null {
  if (address === undefined || getAuth().enabled || isLoopbackAddress(address)) return null;
  return `${NO_AUTH_MESSAGE} (bound to ${address})`;
}

function refuse(res: ServerResponse): void {
  const body = JSON.stringify({
    error: { code: "FORBIDDEN", message: "Local mode serves 127.0.0.1 only; configure auth to serve other addresses" },
  });
  res
    .writeHead(403, { "content-type": "application/json", "cache-control": "no-store", connection: "close" })
    .end(body);
}

type Emitter = { emit: (event: string | symbol, ...args: unknown[]) => boolean };

/** Installs the hook on http and https servers (once); answers a function that removes it. */
export function installSocketHook(onProblem: (message: string) => void): () => void {
  if (socketHook.value) return () => undefined;
  socketHook.value = true;
  const key = peerKey();
  const restore: (() => void)[] = [];
  for (const proto of [http.Server.prototype, https.Server.prototype] as Emitter[]) {
    const own = Object.prototype.hasOwnProperty.call(proto, "emit");
    const emit = proto.emit;
    restore.push(() => {
      if (own) proto.emit = emit;
      else delete (proto as Partial<Emitter>).emit;
    });
    proto.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
      if (event === "request") {
        const [req, res] = args as [IncomingMessage, ServerResponse];
        req.headers[PEER_HEADER] = `${key} ${req.socket.remoteAddress ?? "unknown"}`;
        const problem = bindingProblem(boundAddress(this));
        if (problem) {
          onProblem(problem);
          refuse(res);
          return true;
        }
      }
      return emit.call(this, event, ...args);
    };
  }
  return () => {
    for (const undo of restore) undo();
    socketHook.value = false;
  };
}

/** Servers of this process that are listening already (Next binds before it runs instrumentation). */
export function listeningServers(): Server[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.filter(
    (h): h is Server => (h instanceof http.Server || h instanceof https.Server) && (h as Server).listening,
  );
}
