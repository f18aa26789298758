import type Redis from "ioredis";

export interface SentCommands {
  /** Each command sent since the last clear, as [name in lower case, ...arguments as strings]. */
  readonly all: string[][];
  /** The commands named `name` (lower case), in the order sent. */
  named(name: string): string[][];
  count(name: string): number;
  clear(): void;
}

/**
 * Records every command `redis` sends from now on, on the client, so other test files on the same
 * server cannot skew the count. ioredis passes a command queued before the connection is ready
 * through sendCommand twice: clear once connected before counting.
 */
export function recordSentCommands(redis: Redis): SentCommands {
  const all: string[][] = [];
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((cmd: Parameters<Redis["sendCommand"]>[0]) => {
    all.push([cmd.name.toLowerCase(), ...cmd.args.map((a) => String(a))]);
    return send(cmd);
  }) as Redis["sendCommand"];
  const named = (name: string) => all.filter((c) => c[0] === name);
  return {
    all,
    named,
    count: (name) => named(name).length,
    clear: () => void all.splice(0),
  };
}
