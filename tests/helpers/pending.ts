import type Redis from "ioredis";

/**
 * Seeds `stream` with `n` messages `{payload: p<i>}`, creates `group` at 0 and delivers the
 * first `deliver` (default all) to `consumer` with XREADGROUP (tests may; the dashboard never does).
 */
export async function seedPending(
  redis: Redis,
  stream: string,
  opts: { n: number; group?: string; consumer?: string; deliver?: number; payload?: (i: number) => string } = { n: 10 },
): Promise<string[]> {
  const group = opts.group ?? "g";
  const payload = opts.payload ?? ((i: number) => `p${i}`);
  const ids: string[] = [];
  for (let start = 0; start < opts.n; start += 1000) {
    const pipe = redis.pipeline();
    for (let i = start; i < Math.min(opts.n, start + 1000); i++)
      pipe.xadd(stream, "*", "payload", payload(i), "n", String(i));
    for (const [err, id] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      ids.push(String(id));
    }
  }
  await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM").catch((err: Error) => {
    if (!/BUSYGROUP/.test(err.message)) throw err;
  });
  await deliver(redis, stream, group, opts.consumer ?? "c1", opts.deliver ?? opts.n);
  return ids;
}

/** Hands the next `count` new messages of the stream to a consumer (XREADGROUP >). */
export async function deliver(
  redis: Redis,
  stream: string,
  group: string,
  consumer: string,
  count: number,
): Promise<void> {
  let left = count;
  while (left > 0) {
    const n = Math.min(left, 1000);
    const reply = await redis.xreadgroup("GROUP", group, consumer, "COUNT", n, "STREAMS", stream, ">");
    if (!reply) return;
    left -= n;
  }
}

/** Re-delivers pending ids to a consumer (XCLAIM without JUSTID bumps the delivery count). */
export async function redeliver(
  redis: Redis,
  stream: string,
  group: string,
  consumer: string,
  ids: string[],
): Promise<void> {
  await redis.xclaim(stream, group, consumer, 0, ...ids);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The PEL of a group as `id consumer deliveries` strings (at most 10,000). */
export async function pelIds(redis: Redis, stream: string, group: string): Promise<string[]> {
  const out: string[] = [];
  let start = "-";
  for (;;) {
    const rows = (await redis.xpending(stream, group, start, "+", 1000)) as [string, string, number, number][];
    for (const r of rows) out.push(r[0]);
    if (rows.length < 1000 || out.length >= 10_000) return out;
    start = `(${rows[rows.length - 1]![0]}`;
  }
}

/** Every entry of a (small) stream as `{id, fields: {name: value}}` (last value wins). */
export async function entries(redis: Redis, stream: string): Promise<{ id: string; fields: Record<string, string> }[]> {
  const out: { id: string; fields: Record<string, string> }[] = [];
  let start = "-";
  for (;;) {
    const rows = await redis.xrange(stream, start, "+", "COUNT", 1000);
    for (const [id, flat] of rows) {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
      out.push({ id, fields });
    }
    if (rows.length < 1000) return out;
    start = `(${rows[rows.length - 1]![0]}`;
  }
}

/** A snapshot for "nothing changed" assertions. */
export async function snapshot(redis: Redis, stream: string, group: string, extraKeys: string[] = []) {
  const pel = (await redis.xpending(stream, group, "-", "+", 1000)) as [string, string, number, number][];
  return {
    entries: await entries(redis, stream),
    pel: pel.map(([id, consumer, , deliveries]) => ({ id, consumer, deliveries })),
    extra: await Promise.all(
      extraKeys.map(async (k) => ({ key: k, type: await redis.type(k), len: await redis.xlen(k).catch(() => -1) })),
    ),
  };
}
