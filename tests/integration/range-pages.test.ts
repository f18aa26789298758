/**
 * rangePages, the one byte-sized XRANGE walk behind the entries page, search, the redrive walk and
 * the count of waiting entries: pages sized by the entries seen, every entry once in both orders,
 * `end` exactly on the last page, and the caller's cap asked before every read.
 */
import { afterAll, describe, expect, it } from "vitest";
import { READ_BYTES } from "@/lib/streams/answer-limits";
import { idsAfter, rangePages } from "@/lib/streams/range-pages";
import { cleanPrefix, testRedis, uniquePrefix } from "../helpers/redis";

const redis = testRedis();
const prefix = uniquePrefix("rangepages");
const whole = idsAfter(null);

afterAll(async () => {
  await cleanPrefix(redis, prefix);
});

async function walk(key: string, order: "asc" | "desc", cap: () => number = () => 1000) {
  const pages: { ids: string[]; end: boolean }[] = [];
  for await (const { reply, end } of rangePages(redis, key, whole, order, cap)) {
    pages.push({ ids: reply.map(([id]) => id.toString()), end });
  }
  return pages;
}

describe("rangePages", () => {
  it("reads one entry first, then pages of about READ_BYTES, each entry once in both orders", async () => {
    const key = `${prefix}big`;
    const value = Buffer.alloc(READ_BYTES / 4, "v");
    const ids: string[] = [];
    for (let i = 1; i <= 11; i++) ids.push((await redis.xadd(key, `${i}-0`, "v", value))!);

    const asc = await walk(key, "asc");
    expect(asc.map((p) => p.ids.length)).toEqual([1, 3, 3, 3, 1]);
    expect(asc.flatMap((p) => p.ids)).toEqual(ids);
    expect(asc.map((p) => p.end)).toEqual([false, false, false, false, true]);

    const desc = await walk(key, "desc");
    expect(desc.flatMap((p) => p.ids)).toEqual([...ids].reverse());
  });

  it("asks the cap before each read and stops at 0; a range after its last id is empty", async () => {
    const key = `${prefix}small`;
    for (let i = 1; i <= 50; i++) await redis.xadd(key, `${i}-0`, "f", "x");
    let read = 0;
    const pages: number[] = [];
    for await (const { reply } of rangePages(redis, key, whole, "asc", () => 7 - read)) {
      read += reply.length;
      pages.push(reply.length);
    }
    expect(pages).toEqual([1, 6]);

    const after = idsAfter("50-0");
    const rest: number[] = [];
    for await (const { reply, end } of rangePages(redis, key, after, "asc", () => 100)) {
      rest.push(reply.length);
      expect(end).toBe(true);
    }
    expect(rest).toEqual([0]);
    expect(idsAfter("18446744073709551615-18446744073709551615")).toBeNull();
  });
});
