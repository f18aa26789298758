import Redis from "ioredis";
import { expect } from "vitest";

export type SlowEntry = [number, number, number, string[], ...unknown[]];

export const SLOW_MICROS = 10_000;

/** Commands that only read: a slow one is run again to tell a slow command from a paused server. */
const REPLAYABLE = new Set([
  "XINFO",
  "XRANGE",
  "XREVRANGE",
  "XPENDING",
  "XLEN",
  "SCAN",
  "TYPE",
  "MEMORY",
  "PTTL",
  "TTL",
  "EXISTS",
  "GET",
  "MGET",
  "HGET",
  "HMGET",
  "HGETALL",
  "HLEN",
  "HSCAN",
  "ZRANGE",
  "ZRANGEBYSCORE",
  "ZREVRANGE",
  "ZREVRANGEBYSCORE",
  "ZCARD",
  "ZSCORE",
  "ZSCAN",
  "SMEMBERS",
  "SSCAN",
  "SCARD",
  "LRANGE",
  "LLEN",
  "STRLEN",
  "INFO",
  "DBSIZE",
]);

const REPLAYS = 5;
/** A read is held when at least this many of its REPLAYS are slow. */
const HELD_REPLAYS = 3;
/** Between replays: a burst of load on the shared machine passes, a command's own cost stays. */
const REPLAY_GAP_MS = 100;
const REPLAY_NAME = "slowlog-replay";
const CUT_ARGUMENT = /^\.\.\. \(\d+ more arguments\)$|\.\.\. \(\d+ more bytes\)$/;

/** The dashboard's connections are all named `streamscope…` (lib/redis/client.ts). */
export const fromDashboard = (e: SlowEntry): boolean => String(e[5] ?? "").startsWith("streamscope");

/**
 * On the shared test server: the dashboard's entries, less those naming another test file's key
 * (`test:<name>:<id>:...` under another prefix). Other files run at the same time, and one of
 * them may be slow on purpose (the bulk reap lists 30,000 consumers in one XINFO CONSUMERS).
 */
export const fromDashboardOn =
  (prefix: string) =>
  (e: SlowEntry): boolean => {
    const key = e[3].find((arg) => String(arg).startsWith("test:"));
    return fromDashboard(e) && (key === undefined || String(key).startsWith(prefix));
  };

/** Calls per command (lowercase, as INFO commandstats names them) at the last resetSlowLog of a node. */
const callsAtReset = new WeakMap<Redis, Map<string, number>>();

async function commandCalls(node: Redis): Promise<Map<string, number>> {
  const info = await node.info("commandstats");
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:|]+)(?:\|[^:]*)?:calls=(\d+)/gm))
    calls.set(m[1]!, (calls.get(m[1]!) ?? 0) + Number(m[2]));
  return calls;
}

/**
 * Slow entries a write may have before it is held: two, and at least 5% of its calls since the
 * reset (a script run 200 times on a busy machine is paused in a few of them; an O(N) one is slow
 * in most).
 */
async function writeAllowances(node: Redis): Promise<(cmd: string[]) => number> {
  const before = callsAtReset.get(node);
  const now = before ? await commandCalls(node) : undefined;
  return (cmd) => {
    const name = cmd[0]?.toLowerCase() ?? "";
    const calls = now && before ? (now.get(name) ?? 0) - (before.get(name) ?? 0) : 0;
    return Math.max(2, Math.ceil(calls * 0.05));
  };
}

const signature = (cmd: string[]): string => `${cmd[0]?.toUpperCase() ?? ""} ${cmd[1] ?? ""}`;
const describe = ([, , micros, cmd]: SlowEntry): string => `${cmd.slice(0, 6).join(" ")}: ${micros} µs`;

/** How many of REPLAYS runs of `cmd` on `node` the slow log records over SLOW_MICROS. */
async function slowReplays(node: Redis, cmd: string[]): Promise<number> {
  const replay = node.duplicate({ connectionName: REPLAY_NAME });
  try {
    let slow = 0;
    for (let i = 0; i < REPLAYS; i++) {
      await new Promise((r) => setTimeout(r, REPLAY_GAP_MS));
      const before = ((await replay.slowlog("GET", 1)) as SlowEntry[])[0]?.[0] ?? -1;
      try {
        await replay.call(cmd[0]!, ...cmd.slice(1));
      } catch {
        return 0; // the key moved or is gone: nothing left to measure
      }
      const after = (await replay.slowlog("GET", 16)) as SlowEntry[];
      if (after.some((e) => e[0] > before && e[5] === REPLAY_NAME && e[2] > SLOW_MICROS)) slow++;
      if (slow >= HELD_REPLAYS || slow + REPLAYS - 1 - i < HELD_REPLAYS) break;
    }
    return slow;
  } finally {
    replay.disconnect();
  }
}

/**
 * The entries of `nodes`' slow logs that `counts` selects and that are slow because of what they do.
 * A busy test machine can pause Redis in the middle of a cheap command and log it, so an entry is
 * held against the code only when it is slow again: a read is run again (held when at least three
 * of five runs, 100 ms apart, are slow), a write is held when the same command on the same key (or
 * script) is slow at least twice and in at least 5% of that command's calls since resetSlowLog. A command that is
 * truly O(N) is slow every time.
 */
export async function slowCommands(
  nodes: Redis | readonly Redis[],
  counts: (entry: SlowEntry) => boolean = fromDashboard,
): Promise<SlowEntry[]> {
  const held: SlowEntry[] = [];
  for (const node of Array.isArray(nodes) ? nodes : [nodes as Redis]) {
    const entries = ((await node.slowlog("GET", 128)) as SlowEntry[]).filter(
      (e) => e[2] > SLOW_MICROS && e[5] !== REPLAY_NAME && counts(e),
    );
    const allowed = await writeAllowances(node);
    const times = new Map<string, number>();
    for (const e of entries) times.set(signature(e[3]), (times.get(signature(e[3])) ?? 0) + 1);
    for (const e of entries) {
      const cmd = e[3];
      const replayable = REPLAYABLE.has(cmd[0]?.toUpperCase() ?? "") && !cmd.some((a) => CUT_ARGUMENT.test(a));
      if (
        replayable ? (await slowReplays(node, cmd)) >= HELD_REPLAYS : (times.get(signature(cmd)) ?? 0) >= allowed(cmd)
      )
        held.push(e);
    }
  }
  return held;
}

/** Sets the slow log of each node to 10 ms and empties it. */
export async function resetSlowLog(nodes: Redis | readonly Redis[]): Promise<void> {
  for (const node of Array.isArray(nodes) ? nodes : [nodes as Redis]) {
    await node.config("SET", "slowlog-log-slower-than", String(SLOW_MICROS));
    await node.slowlog("RESET");
    callsAtReset.set(node, await commandCalls(node));
  }
}

/** Expects no dashboard command in `nodes`' slow logs that is slow because of what it does. */
export async function expectNoSlowDashboardCommands(
  nodes: Redis | readonly Redis[],
  counts: (entry: SlowEntry) => boolean = fromDashboard,
): Promise<void> {
  expect((await slowCommands(nodes, counts)).map(describe)).toEqual([]);
}

/**
 * Runs `work` with the slow log at 10 ms and expects no entry that `counts` selects. An entry is held
 * against the code only when `slowCommands` holds it and the same command is slow on a second run of
 * `work` too.
 */
export async function expectNoSlowCommands(
  redis: Redis,
  work: () => Promise<unknown>,
  counts: (entry: SlowEntry) => boolean = () => true,
): Promise<void> {
  let suspects: Set<string> | undefined;
  let slow: SlowEntry[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    await resetSlowLog(redis);
    await work();
    slow = (await slowCommands(redis, counts)).filter((e) => !suspects || suspects.has(signature(e[3])));
    if (slow.length === 0) return;
    suspects = new Set(slow.map((e) => signature(e[3])));
  }
  expect(slow.map(describe)).toEqual([]);
}
