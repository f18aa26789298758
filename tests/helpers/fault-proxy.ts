/**
 * A fault-injecting TCP proxy between a Redis client and a test redis-server on 127.0.0.1.
 * It reads the RESP traffic both ways, so it knows which reply answers which command, and can:
 *  - `dropAfterReply(match)`: let Redis run and answer a chosen command, then close the client's
 *    connection without passing that reply on (the client never learns the outcome);
 *  - `cutMidReply(match)`: pass on half of that reply, then close;
 *  - `latencyMs`: delay every chunk both ways;
 *  - `onCommand(match, fn)`: call `fn` when the client sends a matching command, before it goes on
 *    (e.g. to SIGSTOP the server at an exact point of a bulk action).
 * New connections (the client's reconnects) go through unharmed until the next fault.
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** Decides on a command's arguments (name upper-cased at [0]) whether the fault applies. */
export type CommandMatch = (args: string[]) => boolean;

export const command =
  (name: string): CommandMatch =>
  (args) =>
    args[0] === name.toUpperCase();

/** EVALSHA of one script (by its sha). */
export const script =
  (sha: string): CommandMatch =>
  (args) =>
    args[0] === "EVALSHA" && args[1] === sha;

interface Fault {
  kind: "drop" | "cut";
  match: CommandMatch;
  /** Matching replies to let through before the fault fires. */
  skip: number;
  /** How many times it fires. */
  times: number;
}

/** End offset of the RESP value starting at `i`, or -1 while it is incomplete. */
export function respEnd(buf: Buffer, i: number): number {
  if (i >= buf.length) return -1;
  const type = String.fromCharCode(buf[i]!);
  const eol = buf.indexOf("\r\n", i);
  if (eol < 0) return -1;
  const n = Number(buf.toString("latin1", i + 1, eol));
  switch (type) {
    case "$":
    case "=":
    case "!": {
      if (n < 0) return eol + 2;
      const end = eol + 2 + n + 2;
      return end <= buf.length ? end : -1;
    }
    case "*":
    case "~":
    case ">":
    case "%":
    case "|": {
      if (n < 0) return eol + 2;
      let j = eol + 2;
      for (let k = 0; k < (type === "%" || type === "|" ? 2 * n : n); k++) {
        j = respEnd(buf, j);
        if (j < 0) return -1;
      }
      return j;
    }
    default:
      return eol + 2;
  }
}

/** The arguments of a complete command array (bulk strings), decoded as latin1. */
function commandArgs(buf: Buffer, start: number): string[] {
  const args: string[] = [];
  let eol = buf.indexOf("\r\n", start);
  const n = Number(buf.toString("latin1", start + 1, eol));
  let j = eol + 2;
  for (let k = 0; k < n; k++) {
    eol = buf.indexOf("\r\n", j);
    const len = Number(buf.toString("latin1", j + 1, eol));
    args.push(buf.toString("latin1", eol + 2, eol + 2 + len));
    j = eol + 2 + len + 2;
  }
  if (args[0] !== undefined) args[0] = args[0].toUpperCase();
  return args;
}

export interface FaultProxy {
  port: number;
  url: string;
  latencyMs: number;
  /** Connections accepted and connections the proxy cut so far. */
  readonly stats: { connections: number; faults: number };
  /** After `skip` matching replies passed, swallow the next matching reply and close (`times` times). */
  dropAfterReply(match: CommandMatch, opts?: { skip?: number; times?: number }): void;
  /** Like dropAfterReply, but half of the reply reaches the client before the close. */
  cutMidReply(match: CommandMatch, opts?: { skip?: number; times?: number }): void;
  /** Calls `fn` (once) when the client sends a matching command, before it is passed on. */
  onCommand(match: CommandMatch, fn: (args: string[]) => void): void;
  /** Faults armed and not yet fired. */
  pendingFaults(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const faults: Fault[] = [];
  const hooks: { match: CommandMatch; fn: (args: string[]) => void }[] = [];
  const sockets = new Set<Socket>();
  const stats = { connections: 0, faults: 0 };
  let latencyMs = 0;

  const send = (to: Socket, chunk: Buffer) => {
    if (latencyMs > 0) setTimeout(() => to.destroyed || to.write(chunk), latencyMs);
    else if (!to.destroyed) to.write(chunk);
  };

  const server: Server = createServer((client) => {
    stats.connections++;
    const upstream = createConnection({ host: target.host ?? "127.0.0.1", port: target.port });
    sockets.add(client);
    sockets.add(upstream);
    const inFlight: string[][] = [];
    let fromClient = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);
    let cut = false;
    const closeBoth = () => {
      cut = true;
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk: Buffer) => {
      fromClient = Buffer.concat([fromClient, chunk]);
      for (;;) {
        const end = respEnd(fromClient, 0);
        if (end < 0) break;
        const args = commandArgs(fromClient, 0);
        inFlight.push(args);
        const hook = hooks.findIndex((h) => h.match(args));
        if (hook >= 0) hooks.splice(hook, 1)[0]!.fn(args);
        fromClient = fromClient.subarray(end);
      }
      send(upstream, chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (cut) return;
      fromServer = Buffer.concat([fromServer, chunk]);
      let passed = 0;
      for (;;) {
        const end = respEnd(fromServer, passed);
        if (end < 0) break;
        const args = inFlight.shift() ?? [];
        // Error replies (NOSCRIPT before a script is loaded) changed nothing: they never fire a fault.
        const answered = fromServer[passed] !== 0x2d;
        const fault = answered ? faults.find((f) => f.times > 0 && f.match(args)) : undefined;
        if (fault && fault.skip > 0) fault.skip--;
        else if (fault) {
          fault.times--;
          stats.faults++;
          const keep = fault.kind === "cut" ? passed + Math.max(1, Math.floor((end - passed) / 2)) : passed;
          if (keep > 0) send(client, fromServer.subarray(0, keep));
          // Let what was written reach the client before the close.
          setTimeout(closeBoth, latencyMs + 5);
          cut = true;
          return;
        }
        passed = end;
      }
      if (passed > 0) {
        send(client, fromServer.subarray(0, passed));
        fromServer = fromServer.subarray(passed);
      }
    });
    for (const s of [client, upstream]) {
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        (s === client ? upstream : client).destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const arm =
    (kind: Fault["kind"]) =>
    (match: CommandMatch, opts: { skip?: number; times?: number } = {}) => {
      faults.push({ kind, match, skip: opts.skip ?? 0, times: opts.times ?? 1 });
    };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = ms;
    },
    stats,
    dropAfterReply: arm("drop"),
    cutMidReply: arm("cut"),
    onCommand: (match, fn) => {
      hooks.push({ match, fn });
    },
    pendingFaults: () => faults.reduce((n, f) => n + f.times, 0),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
