import { describe, expect, it } from "vitest";
import { ENTRY_FLOOR_BYTES, endEntryBytes, readRounds, ROUND_BYTES, type BoundedRead } from "@/lib/streams/stream-info";

const KiB = 1024;
const MiB = 1024 * KiB;
const read = (key: string, bytes: number): BoundedRead => ({ key, command: ["XINFO", "STREAM", key], bytes });
const sizes = (rounds: BoundedRead[][]) => rounds.map((r) => r.map((x) => x.key).join(","));

describe("endEntryBytes", () => {
  it("guesses an entry at an end of a stream from its MEMORY USAGE and length", () => {
    // Two entries of 2 MiB: about 2 MiB each, never more than the whole stream.
    expect(endEntryBytes(4 * MiB + 300, 2)).toBe(4 * MiB + 300);
    // 100,000 entries of 100 bytes: the floor.
    expect(endEntryBytes(10 * MiB, 100_000)).toBe(ENTRY_FLOOR_BYTES);
    // 1,000 entries of 20 KiB: four times the average.
    expect(endEntryBytes(20 * MiB, 1000)).toBe((4 * 20 * MiB) / 1000);
    // A tiny stream is guessed at its whole size.
    expect(endEntryBytes(600, 3)).toBe(600);
  });

  it("takes the floor when the size is unknown (MEMORY refused), and a stream's whole size when its length is", () => {
    expect(endEntryBytes(null, 10)).toBe(ENTRY_FLOOR_BYTES);
    expect(endEntryBytes(3 * MiB, null)).toBe(3 * MiB);
    expect(endEntryBytes(3 * MiB, 0)).toBe(3 * MiB);
  });
});

describe("readRounds", () => {
  it("keeps small reads in rounds of chunkKeys", () => {
    const reads = Array.from({ length: 5 }, (_, i) => read(`s${i}`, 2 * KiB));
    expect(sizes(readRounds(reads, 2))).toEqual(["s0,s1", "s2,s3", "s4"]);
  });

  it("cuts a round before it would pass ROUND_BYTES, and sends a read over it alone", () => {
    const half = ROUND_BYTES / 2;
    const reads = [read("a", half), read("b", half), read("c", 1), read("huge", 3 * ROUND_BYTES), read("d", 1)];
    expect(sizes(readRounds(reads, 1000))).toEqual(["a,b", "c", "huge", "d"]);
  });

  it("keeps the order and loses no read", () => {
    const reads = Array.from({ length: 50 }, (_, i) => read(`k${i}`, (i % 7) * MiB));
    const rounds = readRounds(reads, 8);
    expect(rounds.flat().map((r) => r.key)).toEqual(reads.map((r) => r.key));
    for (const r of rounds) {
      expect(r.length).toBeLessThanOrEqual(8);
      if (r.length > 1) expect(r.reduce((n, x) => n + x.bytes, 0)).toBeLessThanOrEqual(ROUND_BYTES);
    }
  });
});
