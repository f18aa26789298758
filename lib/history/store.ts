import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import type { ChainableCommander } from "ioredis";
import { appKey } from "@/lib/redis/app-keys";
import { pipelineForKeys } from "@/lib/redis/keyspace";
import { rangePages } from "@/lib/streams/range-pages";
import { requestRange } from "@/lib/streams/range";
import type { Sample } from "./series";

/**
 * History samples live in Redis streams under the app prefix, one per stream and one per
 * group. An entry's id is `<sample time ms>-*`, its fields short names for the numbers:
 *   l length · a entries-added · p pending · g lag · r entries-read · o oldest pending age (ms)
 * ("" for unknown). Every write trims by `XADD ... MINID <now - retention>` (exact: it drops
 * only the samples that just aged out) and renews a PEXPIRE of the retention, so history of a
 * stream that disappears goes away on its own. Cost per series: 2 commands per sample.
 */
export const historyKeys = {
  stream: (stream: string) => appKey("history", "s", stream),
  // Length-prefixed so that a ":" in a stream key cannot collide with the group name.
  group: (stream: string, group: string) => appKey("history", "g", String(stream.length), stream, group),
  lastRun: () => appKey("history", "last-run"),
  cursor: () => appKey("history", "cursor"),
};

/** Samples read per call at most (newest first when a range holds more). */
export const MAX_READ_SAMPLES = 20_000;
const PAGE = 1000;

const FIELDS: [keyof Omit<Sample, "t">, string][] = [
  ["length", "l"],
  ["entriesAdded", "a"],
  ["pending", "p"],
  ["lag", "g"],
  ["entriesRead", "r"],
  ["oldestPendingMs", "o"],
];

function encode(s: Sample): string[] {
  return FIELDS.flatMap(([name, field]) => [field, s[name] === null ? "" : String(Math.round(s[name]!))]);
}

function decode(id: string, flat: string[]): Sample {
  const rec: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) rec[flat[i]!] = flat[i + 1]!;
  const num = (f: string) => {
    const v = rec[f];
    return v === undefined || v === "" ? null : Number(v);
  };
  return {
    t: Number(id.split("-")[0]),
    length: num("l"),
    entriesAdded: num("a"),
    pending: num("p"),
    lag: num("g"),
    entriesRead: num("r"),
    oldestPendingMs: num("o"),
  };
}

/** Queues the write of one sample with its trim and expiry. */
export function queueSample(pipe: ChainableCommander, key: string, sample: Sample, retentionMs: number): void {
  const minId = `${Math.max(0, sample.t - retentionMs)}-0`;
  pipe.xadd(key, "MINID", minId, `${sample.t}-*`, ...encode(sample));
  pipe.pexpire(key, retentionMs);
}

export async function writeSamples(
  redis: RedisConnection,
  rows: readonly { key: string; sample: Sample }[],
  retentionMs: number,
): Promise<{ written: number; failed: number }> {
  let at = 0;
  const results = await pipelineForKeys(
    redis,
    rows.map((r) => r.key),
    (pipe, key) => queueSample(pipe, key, rows[at++]!.sample, retentionMs),
  );
  // An XADD fails only when the clock went backwards (an id not above the last sample): skip it.
  const failed = results.filter((r) => r[0]?.[0]).length;
  return { written: rows.length - failed, failed };
}

function parseRange(reply: unknown): Sample[] {
  if (!Array.isArray(reply)) return [];
  return (reply as [string, string[]][]).map(([id, flat]) => decode(id, flat));
}

/** Samples with from ≤ t ≤ to, oldest first, in pages of at most 1000 (rangePages), at most MAX_READ_SAMPLES (the newest). */
export async function readSamples(redis: RedisConnection, key: string, from: number, to: number): Promise<Sample[]> {
  const pages: Sample[][] = [];
  const range = requestRange(String(Math.max(0, Math.floor(to))), String(Math.max(0, Math.floor(from))), "desc");
  let total = 0;
  const cap = () => Math.min(PAGE, MAX_READ_SAMPLES - total);
  for await (const { reply } of rangePages(redis, key, range, "desc", cap)) {
    pages.push(
      reply.map(([id, flat]) =>
        decode(
          id.toString(),
          flat.map((f) => f.toString()),
        ),
      ),
    );
    total += reply.length;
  }
  return pages.flat().reverse();
}

/** The most recent `count` samples of many series at once (one pipeline). */
export async function readRecentMany(
  redis: RedisConnection,
  keys: readonly string[],
  from: number,
  count: number,
): Promise<Sample[][]> {
  const replies = await pipelineForKeys(redis, keys, (pipe, key) => {
    pipe.xrevrange(key, "+", `${Math.max(0, Math.floor(from))}-0`, "COUNT", Math.min(count, PAGE));
  });
  return replies.map((r) => (r[0] && !r[0][0] ? parseRange(r[0][1]).reverse() : []));
}
