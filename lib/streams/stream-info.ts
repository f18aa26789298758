import "server-only";
import type { RedisConnection } from "@/lib/redis/connection";
import { pipelineForKeys, type PipelineResult } from "@/lib/redis/keyspace";
import { processState } from "@/lib/runtime/state";

/*
 * Reads that answer whole entries when ids are all we want: XINFO STREAM always answers the
 * stream's first and last entries, and `XRANGE key (id + COUNT 1` (the oldest entry a group has not
 * read) its entry; Redis has no option to leave the fields out. Sent as one pipeline, a page of
 * streams whose entries hold MiB values would pile hundreds of MiB into Redis's output buffers and
 * the app's memory (and each XINFO STREAM then took 10-19 ms inside Redis 7.0, against 0.4 ms one
 * at a time). So the reads go in rounds bounded by a guess of their reply's bytes as well as by
 * their number, and a read guessed big comes back as Buffers (its values are never decoded).
 *
 * The guess comes from MEMORY USAGE (default sampling), read before, and the stream's length at the
 * last read of its XINFO STREAM by this process (rememberSizes). MEMORY USAGE counts the stream's
 * last listpack node whole and at least its first one, so it bounds an entry at either end; divided
 * by the length it is the average entry, and an entry at an end is guessed at four times that (at
 * least ENTRY_FLOOR_BYTES). Without a length (the stream's first read here) the bound itself is the
 * guess, so a long stream of small entries goes in a small round once. A stream of many small
 * entries and one huge one at an end is guessed small: the one case this lets through.
 */

/** The bytes of the replies of one pipelined round (a read guessed bigger goes alone). */
export const ROUND_BYTES = 8 * 1024 * 1024;
/** The least an entry at an end of a stream is guessed at; also the guess when MEMORY USAGE is refused. */
export const ENTRY_FLOOR_BYTES = 8 * 1024;
/** A read guessed at more than this is answered as Buffers. */
const BUFFERS_FROM_BYTES = 64 * 1024;

/** A guess of the bytes of one entry at an end of a stream, from its MEMORY USAGE and length. */
export function endEntryBytes(memory: number | null, length: number | null): number {
  if (memory === null) return ENTRY_FLOOR_BYTES;
  const average = length ? memory / length : memory;
  return Math.min(memory, Math.max(ENTRY_FLOOR_BYTES, 4 * average));
}

export interface BoundedRead {
  key: string;
  command: [string, ...(string | number)[]];
  /** The guessed bytes of its reply. */
  bytes: number;
}

/** Per read, in order, its reply, in rounds of at most `chunkKeys` reads and ROUND_BYTES. Errors are per read. */
export async function readBounded(
  redis: RedisConnection,
  reads: readonly BoundedRead[],
  chunkKeys = 500,
): Promise<(PipelineResult | undefined)[]> {
  const out: (PipelineResult | undefined)[] = [];
  for (const round of readRounds(reads, chunkKeys)) {
    let at = 0;
    const replies = await pipelineForKeys(
      redis,
      round.map((r) => r.key),
      (pipe) => {
        const { command, bytes } = round[at++]!;
        if (bytes > BUFFERS_FROM_BYTES) pipe.callBuffer(...command);
        else pipe.call(...command);
      },
      round.length,
    );
    for (const r of replies) out.push(r[0]);
  }
  return out;
}

/** The reads in order, cut into rounds of at most `chunkKeys` reads and ROUND_BYTES (a read over it alone). */
export function readRounds(reads: readonly BoundedRead[], chunkKeys: number): BoundedRead[][] {
  const out: BoundedRead[][] = [];
  let round: BoundedRead[] = [];
  let bytes = 0;
  for (const read of reads) {
    if (round.length > 0 && (round.length >= chunkKeys || bytes + read.bytes > ROUND_BYTES)) {
      out.push(round);
      round = [];
      bytes = 0;
    }
    round.push(read);
    bytes += read.bytes;
  }
  if (round.length > 0) out.push(round);
  return out;
}

/**
 * A stream this small at its last read gets its XINFO STREAM in the first round, beside its other
 * reads, without waiting for a new MEMORY USAGE: the overview's polls of small streams cost no extra
 * round trip while they do not change. One that grew huge ends since is pulled whole once.
 */
export const KNOWN_SMALL_BYTES = 64 * 1024;
/**
 * A small stream's MEMORY USAGE read less than this long ago is taken again, without asking, while
 * its change key (./change-key.ts: length, last ids, each group's counts) is the same: then its
 * entries, groups, consumers and pending lists hold what they held. Every poll of an overview
 * would otherwise size every visible stream again, the costliest of its four reads per row.
 */
export const MEMORY_REUSE_MS = 60_000;
const MAX_SIZES = 100_000;

interface KnownSize {
  length: number;
  memory: number | null;
  /** When `memory` was read (not reused). */
  memoryAt: number;
  changeKey: string;
}

export interface SizeRead {
  key: string;
  length: number;
  memory: number | null;
  changeKey: string;
  /** True when `memory` was read just now, false when it was reused. */
  memoryRead: boolean;
}

/** Per connection (a replica's sizes are its own), each stream's sizes at its last read here. */
const sizes = processState("stream-sizes", () => new WeakMap<RedisConnection, Map<string, KnownSize>>());

function sizesOf(redis: RedisConnection): Map<string, KnownSize> {
  let known = sizes.value.get(redis);
  if (!known) sizes.value.set(redis, (known = new Map()));
  return known;
}

/** The streams' lengths, MEMORY USAGE and change keys as just read, for their next reads. */
export function rememberSizes(redis: RedisConnection, read: readonly SizeRead[], now = Date.now()): void {
  const known = sizesOf(redis);
  if (known.size + read.length > MAX_SIZES) known.clear();
  for (const { key, length, memory, changeKey, memoryRead } of read) {
    const memoryAt = memoryRead ? now : (known.get(key)?.memoryAt ?? now);
    known.set(key, { length, memory, memoryAt, changeKey });
  }
}

function small(known: KnownSize | undefined): known is KnownSize & { memory: number } {
  return typeof known?.memory === "number" && known.memory <= KNOWN_SMALL_BYTES;
}

/** True when the stream was small at its last read here. */
export function knownSmall(redis: RedisConnection, key: string): boolean {
  return small(sizesOf(redis).get(key));
}

/** True when a known-small stream's MEMORY USAGE may be reused (read less than MEMORY_REUSE_MS ago). */
export function memoryFresh(redis: RedisConnection, key: string, now = Date.now()): boolean {
  const known = sizesOf(redis).get(key);
  return small(known) && now - known.memoryAt < MEMORY_REUSE_MS;
}

/** For a stream memoryFresh said yes to: its remembered MEMORY USAGE when its change key is the same. */
export function reusableMemory(redis: RedisConnection, key: string, changeKey: string): number | undefined {
  const known = sizesOf(redis).get(key);
  return small(known) && known.changeKey === changeKey ? known.memory : undefined;
}

/** Per key, its XINFO STREAM reply, read in bounded rounds (`memory`: its MEMORY USAGE). */
export function readStreamInfos(
  redis: RedisConnection,
  targets: readonly { key: string; memory: number | null }[],
  chunkKeys?: number,
): Promise<(PipelineResult | undefined)[]> {
  const known = sizesOf(redis);
  return readBounded(
    redis,
    targets.map(({ key, memory }) => ({
      key,
      command: ["XINFO", "STREAM", key],
      // The first and the last entry; the same one twice in a stream of one.
      bytes: 2 * endEntryBytes(memory, known.get(key)?.length ?? null),
    })),
    chunkKeys,
  );
}
