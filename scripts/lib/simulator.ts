/**
 * Demo traffic for Streamscope: producers and consumers that make every message state and
 * every problem appear. Used by `npm run demo` and by tests that want a live-looking database.
 *
 * - `orders_<yyyyMMddHH>` (UTC hourly family): group `fulfillment` with two healthy consumers,
 *   group `analytics` with one slow consumer that falls behind (lag).
 * - `webhooks`: group `sender`, where every 20th message is poison (never acked, retried again and
 *   again) and each restart of the sender leaves an idle consumer behind.
 * - `payments`: group `ledger` with a fast consumer, a slow one and `worker-crashy`, which now and
 *   then takes a batch and "crashes" (stops reading without acking), leaving stuck pending messages
 *   and a dead consumer; group `audit` reads slowly so lag grows.
 * - `dead-letters`: what consumers gave up on, with the metadata Streamscope's dead-letter action
 *   writes: ledger consumers reject one payment in 40 (currency `XXX`), and the webhook sender
 *   gives up on one poison webhook in three after 5 deliveries (its endpoint is gone).
 * - With `cluster` (a Redis Cluster at `redisUrl`): also `sensors:<n>` (SPREAD_STREAMS streams, spread
 *   over the masters by their slots) written round-robin, and the family `{tenant-42}:jobs:<n>`,
 *   pinned to one master by its hash tag, whose group `runner` reads without acking, so that node
 *   stands out on the cluster page (more streams, more pending).
 */
import Redis, { Cluster } from "ioredis";
import { DEAD_LETTER_FIELDS as F } from "../../lib/contract/dead-letter";

export interface SimulatorOptions {
  redisUrl: string;
  /** Messages per second per producer. */
  ratePerSec?: number;
  /** Key prefix for every demo key (tests isolate themselves with it). */
  prefix?: string;
  /** How long a crash lasts before the crashing consumer comes back. */
  crashForMs?: number;
  /** The crashing consumer crashes on every Nth batch it reads. */
  crashEveryBatches?: number;
  /** `redisUrl` names a Redis Cluster node: connect with the Cluster client and write across nodes. */
  cluster?: boolean;
  log?: (line: string) => void;
}

type Connection = Redis | Cluster;

/** Streams spread over a cluster's masters, and members of the family pinned to one of them. */
const SPREAD_STREAMS = 30;
const PINNED_STREAMS = 40;

export interface Simulator {
  keys: {
    payments: string;
    webhooks: string;
    deadLetters: string;
    ordersPattern: string;
    currentOrders: () => string;
  };
  stop(): Promise<void>;
}

const pad = (n: number) => String(n).padStart(2, "0");

export function hourKey(base: string, at: Date): string {
  return `${base}_${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}`;
}

async function ensureGroup(redis: Connection, key: string, group: string): Promise<void> {
  try {
    await redis.xgroup("CREATE", key, group, "0", "MKSTREAM");
  } catch (err) {
    if (!String(err).includes("BUSYGROUP")) throw err;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const prefix = opts.prefix ?? "";
  const rate = opts.ratePerSec ?? 4;
  const log = opts.log ?? (() => undefined);
  const crashForMs = opts.crashForMs ?? 90_000;
  const payments = `${prefix}payments`;
  const ordersBase = `${prefix}orders`;
  const currentOrders = () => hourKey(ordersBase, new Date());
  const connections: Connection[] = [];
  const seed = new URL(opts.redisUrl);
  const connect = (): Connection => {
    const c = opts.cluster
      ? new Cluster([{ host: seed.hostname, port: Number(seed.port || 6379) }], {
          clusterRetryStrategy: (t) => Math.min(t * 200, 2000),
          redisOptions: { maxRetriesPerRequest: null },
        })
      : new Redis(opts.redisUrl, { maxRetriesPerRequest: null, retryStrategy: (t) => Math.min(t * 200, 2000) });
    c.on("error", () => undefined);
    connections.push(c);
    return c;
  };
  const admin = connect();
  let running = true;

  // A consumer giving up on a message: a copy with the dead-letter metadata, then the ack (in one
  // MULTI on a single server; on a cluster the two keys may live on different nodes).
  const deadLetters = `${prefix}dead-letters`;
  const deadLetter = async (
    conn: Connection,
    origin: string,
    group: string,
    [id, fields]: [string, string[]],
    deliveries: number,
    reason: string,
  ) => {
    const copy = [
      ...fields,
      F.originStream,
      origin,
      F.originGroup,
      group,
      F.originId,
      id,
      F.deliveries,
      String(deliveries),
      F.deadLetteredAt,
      String(Date.now()),
      F.reason,
      reason,
    ];
    const add = ["XADD", deadLetters, "MAXLEN", "~", "5000", "*", ...copy] as const;
    if (opts.cluster) {
      await conn.call(...add);
      await conn.xack(origin, group, id);
    } else {
      await conn
        .multi()
        .call(...add)
        .xack(origin, group, id)
        .exec();
    }
  };

  // The previous hour's member shows the family as a family from the first second.
  const previousHour = hourKey(ordersBase, new Date(Date.now() - 3600_000));
  for (const key of [previousHour, currentOrders()]) {
    await ensureGroup(admin, key, "fulfillment");
    await ensureGroup(admin, key, "analytics");
  }
  await ensureGroup(admin, payments, "ledger");
  await ensureGroup(admin, payments, "audit");
  if ((await admin.xlen(previousHour)) === 0) {
    const pipe = admin.pipeline();
    const base = Date.now() - 3600_000;
    for (let i = 0; i < 40; i++)
      pipe.xadd(previousHour, `${base + i * 1000}-0`, "order", `old-${i}`, "amount", String(10 + i));
    await pipe.exec();
  }

  const loops: Promise<void>[] = [];
  const every = (ms: number, fn: () => Promise<void>) =>
    loops.push(
      (async () => {
        while (running) {
          try {
            await fn();
          } catch (err) {
            if (running) log(`simulator: ${(err as Error).message}`);
            await sleep(1000);
          }
          await sleep(ms);
        }
      })(),
    );

  let seq = 0;
  const producer = connect();
  every(1000 / rate, async () => {
    seq++;
    const key = currentOrders();
    const fresh = (await producer.exists(key)) === 0;
    await producer.xadd(
      key,
      "*",
      "order",
      `o-${seq}`,
      "amount",
      String((seq * 37) % 500),
      "payload",
      JSON.stringify({ sku: `sku-${seq % 17}`, qty: (seq % 3) + 1 }),
    );
    if (fresh) {
      await ensureGroup(producer, key, "fulfillment");
      await ensureGroup(producer, key, "analytics");
    }
    await producer.xadd(
      payments,
      "*",
      "payment",
      `p-${seq}`,
      "amount",
      String((seq * 13) % 900),
      "currency",
      seq % 40 === 11 ? "XXX" : seq % 5 === 0 ? "EUR" : "USD",
    );
  });

  // A consumer: reads new messages of a group and acks them after `workMs`; `crashEvery` makes it
  // stop without acking every N batches, for `crashForMs`; a message `reject` names a reason for is
  // dead-lettered instead.
  const consumer = (
    keyOf: () => string,
    group: string,
    name: string,
    workMs: number,
    batch: number,
    crashEvery?: number,
    reject?: (fields: string[]) => string | null,
  ) => {
    const conn = connect();
    let batches = 0;
    every(workMs, async () => {
      const key = keyOf();
      const reply = (await conn.xreadgroup(
        "GROUP",
        group,
        name,
        "COUNT",
        batch,
        "BLOCK",
        1000,
        "STREAMS",
        key,
        ">",
      )) as [string, [string, string[]][]][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) return;
      batches++;
      if (crashEvery && batches % crashEvery === 0) {
        log(`simulator: ${name} crashed holding ${entries.length} messages`);
        await sleep(crashForMs);
        return;
      }
      await sleep(workMs);
      const rejected = reject ? entries.filter(([, fields]) => reject(fields) !== null) : [];
      for (const entry of rejected) await deadLetter(conn, key, group, entry, 1, reject!(entry[1])!);
      const done = entries.filter((e) => !rejected.includes(e)).map(([id]) => id);
      if (done.length > 0) await conn.xack(key, group, ...done);
    });
  };

  consumer(currentOrders, "fulfillment", "packer-1", 150, 10);
  consumer(currentOrders, "fulfillment", "packer-2", 300, 10);
  consumer(currentOrders, "analytics", "reporter", 4000, 5);
  const currency = (fields: string[]) => {
    const code = fields[fields.indexOf("currency") + 1];
    return code === "XXX" ? `unknown currency ${code}` : null;
  };
  consumer(() => payments, "ledger", "worker-fast", 100, 10, undefined, currency);
  consumer(() => payments, "ledger", "worker-slow", 2000, 5, undefined, currency);
  consumer(() => payments, "ledger", "worker-crashy", 500, 5, opts.crashEveryBatches ?? 3, currency);
  consumer(() => payments, "audit", "auditor", 5000, 3);

  // Poison messages and leaked consumers: every 20th webhook can never be sent. The sender retries
  // what it holds (its delivery counts climb), and every 60 messages it "restarts" under a new name and
  // takes over what waited longest (XAUTOCLAIM): the old names stay behind as idle consumers.
  const webhooks = `${prefix}webhooks`;
  await ensureGroup(admin, webhooks, "sender");
  const sender = connect();
  let restarts = 0;
  let hooks = 0;
  every(1000 / rate, async () => {
    hooks++;
    const poison = hooks % 20 === 0;
    await sender.xadd(
      webhooks,
      "MAXLEN",
      "~",
      5000,
      "*",
      "url",
      `https://example.test/hook/${hooks}`,
      "poison",
      poison ? "1" : "0",
    );
    if (hooks % 60 === 0) restarts++;
    const name = `sender-${restarts}`;
    if (hooks % 60 === 0) await sender.call("XAUTOCLAIM", webhooks, "sender", name, 5000, "0-0", "COUNT", 50, "JUSTID");
    const fresh = (await sender.xreadgroup("GROUP", "sender", name, "COUNT", 10, "STREAMS", webhooks, ">")) as
      [string, [string, string[]][]][] | null;
    const retried = (await sender.xreadgroup("GROUP", "sender", name, "COUNT", 10, "STREAMS", webhooks, "0")) as
      [string, [string, string[]][]][] | null;
    const held = [...(fresh?.[0]?.[1] ?? []), ...(retried?.[0]?.[1] ?? [])];
    const sent = held.filter(([, fields]) => fields[fields.indexOf("poison") + 1] !== "1").map(([id]) => id);
    if (sent.length > 0) await sender.xack(webhooks, "sender", ...sent);
    // One poison webhook in three has an endpoint that is gone: after 5 deliveries the sender gives up on it.
    const gone = (retried?.[0]?.[1] ?? []).filter(([, fields]) => {
      const hook = Number(fields[fields.indexOf("url") + 1]?.split("/").pop());
      return fields[fields.indexOf("poison") + 1] === "1" && hook % 60 === 40;
    });
    for (const entry of gone) {
      const row = (await sender.xpending(webhooks, "sender", entry[0], entry[0], 1)) as [
        string,
        string,
        number,
        number,
      ][];
      const deliveries = row[0]?.[3] ?? 0;
      if (deliveries >= 5)
        await deadLetter(sender, webhooks, "sender", entry, deliveries, "HTTP 410 Gone: endpoint removed");
    }
  });

  if (opts.cluster) {
    const sensors = Array.from({ length: SPREAD_STREAMS }, (_, i) => `${prefix}sensors:${i}`);
    const jobs = Array.from({ length: PINNED_STREAMS }, (_, i) => `${prefix}{tenant-42}:jobs:${i}`);
    for (const key of jobs) await ensureGroup(admin, key, "runner");
    let n = 0;
    const spreader = connect();
    every(1000 / (rate * 5), async () => {
      n++;
      await spreader.xadd(sensors[n % sensors.length]!, "MAXLEN", "~", 1000, "*", "reading", String(n % 97));
      await spreader.xadd(jobs[n % jobs.length]!, "MAXLEN", "~", 1000, "*", "job", `j-${n}`);
    });
    // Reads the pinned family without acking: its pending lists grow on that one node.
    const runner = connect();
    let turn = 0;
    every(1000, async () => {
      const key = jobs[turn++ % jobs.length]!;
      await runner.xreadgroup("GROUP", "runner", "runner-1", "COUNT", 5, "STREAMS", key, ">");
    });
    log(
      `simulator: also writing ${SPREAD_STREAMS} sensors:<n> streams across the masters and ${PINNED_STREAMS} {tenant-42}:jobs:<n> on one`,
    );
  }

  log(`simulator: producing to ${currentOrders()} and ${payments} at ${rate}/s each`);

  return {
    keys: { payments, webhooks, deadLetters, ordersPattern: `${ordersBase}_<yyyyMMddHH>`, currentOrders },
    async stop() {
      running = false;
      for (const c of connections) c.disconnect();
      await Promise.race([Promise.allSettled(loops), sleep(3000)]);
    },
  };
}
