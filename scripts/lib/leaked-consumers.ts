import type Redis from "ioredis";

const CREATE_CONSUMERS = `
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], ARGV[1], 'leaked-' .. i)
end
return 1`;

/** Consumers per script call: one call stays well under the slow log's threshold. */
const PER_CALL = 10_000;

/** Creates the idle consumers `leaked-<from>` to `leaked-<to>` (inclusive) in `group`; they own nothing. */
export async function createLeakedConsumers(
  redis: Redis,
  stream: string,
  group: string,
  from: number,
  to: number,
): Promise<void> {
  for (let first = from; first <= to; first += PER_CALL)
    await redis.eval(CREATE_CONSUMERS, 1, stream, group, first, Math.min(first + PER_CALL - 1, to));
}

/**
 * A group `g` at 0 on a new stream of `messages` entries `{n: i}`, read by each owner in order
 * (`[name, count]`, XREADGROUP), then `leaked` consumers that never read, numbered from `firstLeaked`.
 */
export async function seedLeakyGroup(
  redis: Redis,
  stream: string,
  opts: { messages: number; owners: [name: string, reads: number][]; leaked: number; firstLeaked?: number },
): Promise<void> {
  await redis.xgroup("CREATE", stream, "g", "0", "MKSTREAM");
  for (let i = 0; i < opts.messages; i++) await redis.xadd(stream, "*", "n", String(i));
  for (const [name, reads] of opts.owners)
    await redis.xreadgroup("GROUP", "g", name, "COUNT", reads, "STREAMS", stream, ">");
  const from = opts.firstLeaked ?? 1;
  await createLeakedConsumers(redis, stream, "g", from, from + opts.leaked - 1);
}
