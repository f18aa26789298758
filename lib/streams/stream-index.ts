import "server-only";
import type Redis from "ioredis";
import { isAppKey } from "@/lib/redis/app-keys";
import { allMasters, isCluster, mastersNow, nodeAddress, type RedisConnection } from "@/lib/redis/connection";
import { pipelineForKeys, scanSlice } from "@/lib/redis/keyspace";
import { slotOf } from "@/lib/redis/slots";
import { processState } from "@/lib/runtime/state";
import { globToRegExp } from "@/lib/shared/glob";

/**
 * The stream index: every stream key of the server (every master of a cluster), kept in memory
 * per process and per connection, so the overview pages through a list instead of walking SCAN
 * on every request.
 *
 * Discovery walks the key space in passes of small `SCAN cursor MATCH * COUNT n TYPE stream`
 * slices, one master after the other, in the background (a slice every few ms while a pass runs,
 * a pass every few seconds) and, for up to a small time budget, in the request that asks for a
 * page while the first pass runs (or when a whole pass fits that budget). A key found is listed at
 * once; a key not seen during a whole pass (and not announced since it started) is dropped when
 * the pass ends. Where the server has keyspace notifications
 * on (`notify-keyspace-events` with `E` and the stream / generic classes; never switched on
 * here), new and deleted streams are caught within milliseconds between passes.
 *
 * The walk pauses after IDLE_STOP_MS without a reader (keeping what it found) and resumes with the
 * next one.
 */

/**
 * Keys per SCAN slice. `SCAN ... TYPE stream` costs about 0.3 ms inside Redis 7.0 at COUNT 200,
 * 0.8 ms at 500 and 2.6 ms at 1000 (2,000,000 string keys), with spikes on a busy machine: a
 * small count keeps every call far under the slow log's 10 ms.
 */
export const INDEX_SCAN_COUNT = 250;
/** Pause between two slices of the first pass in the background (the overview waits for it). */
const FIRST_PASS_GAP_MS = 2;
/** Pause between two slices of a later pass (the index is whole; notifications and reads keep it fresh). */
const SLICE_GAP_MS = 10;
/** Pause between two passes (at least; a long pass waits as long as it took). */
const PASS_GAP_MS = 2000;
/** Scanning a request may do before it answers with what the index holds. */
export const REQUEST_BUDGET_MS = 40;
/** A key space walked within the budget is walked again by a request when its last pass is older. */
const FRESH_MS = 1000;
const IDLE_STOP_MS = 10 * 60_000;
const ERROR_BACKOFF_MS = 1000;
/** How often a pass start asks the masters whether keyspace notifications are on. */
const NOTIFY_CHECK_MS = 30_000;
/** Keys announced by a notification whose type is not known (renamed, copied, restored), checked per slice. */
const CHECK_BATCH = 500;

interface NodeWalk {
  address: string;
  client: Redis;
  cursor: string;
  calls: number;
  done: boolean;
  dbsize: number;
}

interface Pass {
  walks: NodeWalk[];
  seen: Set<string>;
  /** Streams announced by a notification since the pass started: kept at its end. */
  noted: Set<string>;
  startedAt: number;
}

export interface IndexDiscovery {
  /** True until the first full pass ends: the index holds only what the walk has found so far. */
  discovering: boolean;
  /** Keys of every type the running pass has walked (estimated from SCAN's COUNT, exact per finished node). */
  scanned: number;
  /** DBSIZE summed over the masters when the pass started. */
  about: number;
  passes: number;
  /** When the last full pass ended (ms since the epoch); null before the first one. */
  lastPassAt: number | null;
  lastPassMs: number | null;
  /** Keyspace notifications are on and followed: new and deleted streams show without waiting for a pass. */
  notifications: boolean;
  /** The masters changed during a pass: it started over, keys may repeat or be missed meanwhile. */
  topologyChanged?: true;
}

export class StreamIndex {
  private readonly members = new Map<string, string>();
  private sorted: string[] | null = null;
  private version = 0;
  private filtered: { version: number; match: string; node: string; keys: string[] } | null = null;
  private pass: Pass | null = null;
  private stepping: Promise<void> | null = null;
  private readonly unsure = new Set<string>();
  private passes = 0;
  private lastPassAt: number | null = null;
  private lastPassMs: number | null = null;
  private about = 0;
  private topologyChanged = false;
  private subscribers = new Map<string, Redis>();
  /** Masters whose subscription is in place. */
  private readonly following = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRead = Date.now();
  private notifyCheckedAt = 0;
  private stopped = false;

  constructor(
    readonly redis: RedisConnection,
    private readonly opts: { scanCount?: number; isCurrent?: () => boolean; onStop?: () => void } = {},
  ) {}

  get size(): number {
    return this.members.size;
  }

  /**
   * During the first pass, walks for up to `budgetMs` (or until the pass ends); after it, walks a
   * whole pass only when the last one fitted the budget and is older than FRESH_MS. Then keeps
   * walking in the background. A later pass running in the background does not hold the request
   * up: the index is whole, and the request answers from it at once.
   */
  async refresh(budgetMs = REQUEST_BUDGET_MS): Promise<void> {
    this.lastRead = Date.now();
    this.stopped = false;
    const deadline = Date.now() + budgetMs;
    const fresh =
      this.pass === null &&
      this.lastPassAt !== null &&
      Date.now() - this.lastPassAt > FRESH_MS &&
      (this.lastPassMs ?? Infinity) <= budgetMs;
    if (this.passes === 0 || fresh) {
      do await this.step();
      while (this.pass !== null && Date.now() < deadline);
    }
    this.schedule(this.pass ? this.sliceGap() : this.passGap());
  }

  discovery(): IndexDiscovery {
    const walks = this.pass?.walks ?? [];
    const scanned = walks.reduce((n, w) => n + (w.done ? w.dbsize : Math.min(w.dbsize, w.calls * this.scanCount())), 0);
    return {
      discovering: this.passes === 0,
      scanned: this.pass ? scanned : this.about,
      about: this.about,
      passes: this.passes,
      lastPassAt: this.lastPassAt,
      lastPassMs: this.lastPassMs,
      notifications: this.following.size > 0,
      ...(this.topologyChanged ? { topologyChanged: true as const } : {}),
    };
  }

  /** The indexed keys matching the glob (and on the node, when given), sorted by code unit. */
  select(match: string, node?: string): string[] {
    const n = node ?? "";
    const f = this.filtered;
    if (f && f.version === this.version && f.match === match && f.node === n) return f.keys;
    this.sorted ??= [...this.members.keys()].sort();
    let keys = this.sorted;
    if (match !== "*") {
      const re = globToRegExp(match);
      keys = keys.filter((k) => re.test(k));
    }
    if (n) keys = keys.filter((k) => this.members.get(k) === n);
    this.filtered = { version: this.version, match, node: n, keys };
    return keys;
  }

  /** The master a key was found on (`host:port`); undefined for a key the index does not hold. */
  nodeOf(key: string): string | undefined {
    return this.members.get(key);
  }

  /** Every master address the index found a stream on, sorted. */
  nodes(): string[] {
    return [...new Set(this.members.values())].sort();
  }

  /** A key found gone (or no longer a stream) by a read: dropped now rather than at the end of the pass. */
  forget(key: string): void {
    if (this.members.delete(key)) this.changed();
    this.pass?.noted.delete(key);
  }

  stop(): void {
    this.stopped = true;
    this.notifyCheckedAt = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const sub of this.subscribers.values()) sub.disconnect();
    this.subscribers.clear();
    this.following.clear();
  }

  private scanCount(): number {
    return this.opts.scanCount ?? INDEX_SCAN_COUNT;
  }

  private sliceGap(): number {
    return this.passes === 0 ? FIRST_PASS_GAP_MS : SLICE_GAP_MS;
  }

  private passGap(): number {
    return Math.max(PASS_GAP_MS, this.lastPassMs ?? 0);
  }

  private changed(): void {
    this.version++;
    this.sorted = null;
  }

  private add(key: string, node: string): void {
    if (this.members.get(key) === node) return;
    this.members.set(key, node);
    this.changed();
  }

  /** One slice of the running pass (starting one when none runs); concurrent callers share it. */
  step(): Promise<void> {
    return (this.stepping ??= this.stepOnce().finally(() => {
      this.stepping = null;
    }));
  }

  private async stepOnce(): Promise<void> {
    if (this.unsure.size > 0) await this.checkUnsure();
    const now = new Set((await mastersNow(this.redis)).map(nodeAddress));
    // A master of the running pass is gone from the client's view: the topology changed, start over.
    if (this.pass && this.pass.walks.some((w) => !now.has(w.address))) {
      this.pass = null;
      this.topologyChanged = true;
    }
    // A pass that ends claims the whole key space: it starts from every master the cluster names.
    const pass = (this.pass ??= await this.startPass(await allMasters(this.redis)));
    const walk = pass.walks.find((w) => !w.done);
    if (walk) {
      const slice = await scanSlice(walk.client, {
        cursor: walk.cursor,
        match: "*",
        type: "stream",
        count: this.scanCount(),
        maxKeys: Infinity,
        maxPages: 1,
        skip: isAppKey,
      });
      walk.calls++;
      walk.cursor = slice.cursor;
      walk.done = slice.wrapped;
      for (const key of slice.keys) {
        pass.seen.add(key);
        this.add(key, walk.address);
      }
    }
    if (pass.walks.every((w) => w.done)) this.endPass(pass);
  }

  private async startPass(masters: Redis[]): Promise<Pass> {
    const sizes = await Promise.all(masters.map((m) => m.dbsize()));
    this.about = sizes.reduce((a, b) => a + b, 0);
    if (Date.now() - this.notifyCheckedAt >= NOTIFY_CHECK_MS) {
      this.notifyCheckedAt = Date.now();
      void this.followNotifications(masters);
    }
    return {
      walks: masters.map((client, i) => ({
        address: nodeAddress(client),
        client,
        cursor: "0",
        calls: 0,
        done: false,
        dbsize: sizes[i]!,
      })),
      seen: new Set(),
      noted: new Set(),
      startedAt: Date.now(),
    };
  }

  private endPass(pass: Pass): void {
    for (const key of [...this.members.keys()]) {
      if (!pass.seen.has(key) && !pass.noted.has(key)) {
        this.members.delete(key);
        this.changed();
      }
    }
    this.passes++;
    this.lastPassAt = Date.now();
    this.lastPassMs = this.lastPassAt - pass.startedAt;
    this.topologyChanged = false;
    this.pass = null;
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.background();
    }, ms);
    this.timer.unref?.();
  }

  private async background(): Promise<void> {
    if (this.stopped) return;
    const status = (this.redis as { status?: string }).status;
    if (status === "end" || this.opts.isCurrent?.() === false) {
      this.stop();
      this.opts.onStop?.();
      return;
    }
    // Unread for a while: the walk pauses (the keys stay) until the next reader.
    if (Date.now() - this.lastRead > IDLE_STOP_MS) {
      this.stop();
      return;
    }
    try {
      if (this.pass || this.lastPassAt === null || Date.now() - this.lastPassAt >= this.passGap()) await this.step();
      this.schedule(this.pass ? this.sliceGap() : this.passGap());
    } catch {
      // The next request sees the error itself; the walk resumes from where it was.
      this.schedule(ERROR_BACKOFF_MS);
    }
  }

  private async checkUnsure(): Promise<void> {
    const keys = [...this.unsure].slice(0, CHECK_BATCH);
    for (const k of keys) this.unsure.delete(k);
    const replies = await pipelineForKeys(this.redis, keys, (pipe, key) => pipe.type(key));
    keys.forEach((key, i) => {
      const [err, type] = replies[i]![0] ?? [null, null];
      if (!err && type === "stream") this.noteStream(key, this.nodeFor(key));
      else if (!err) this.forget(key);
    });
  }

  private nodeFor(key: string): string {
    if (!isCluster(this.redis)) return nodeAddress(this.redis);
    return this.redis.slots[slotOf(key)]?.[0] ?? this.members.get(key) ?? "";
  }

  private noteStream(key: string, node: string): void {
    if (isAppKey(key)) return;
    this.add(key, node);
    this.pass?.noted.add(key);
  }

  /** Subscribes to the key events of each master that has them on; drops subscriptions it no longer can use. */
  private async followNotifications(masters: Redis[]): Promise<void> {
    for (const master of masters) {
      const address = nodeAddress(master);
      let flags = "";
      try {
        const reply = (await master.config("GET", "notify-keyspace-events")) as string[];
        flags = reply[1] ?? "";
      } catch {
        flags = "";
      }
      const events = keyEvents(flags);
      const current = this.subscribers.get(address);
      if (events.length === 0 || this.stopped) {
        current?.disconnect();
        this.subscribers.delete(address);
        this.following.delete(address);
        continue;
      }
      if (current) continue;
      const db = (master.options.db as number | undefined) ?? 0;
      const sub = master.duplicate({ lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null });
      sub.on("error", () => {});
      sub.on("message", (channel: string, key: string) => this.onEvent(channel, key, address));
      this.subscribers.set(address, sub);
      try {
        await sub.subscribe(...events.map((e) => `__keyevent@${db}__:${e}`));
        if (this.subscribers.get(address) === sub) this.following.add(address);
      } catch {
        sub.disconnect();
        this.subscribers.delete(address);
      }
    }
  }

  private onEvent(channel: string, key: string, node: string): void {
    if (isAppKey(key)) return;
    const event = channel.slice(channel.indexOf("__:") + 3);
    if (STREAM_EVENTS.has(event)) this.noteStream(key, node);
    else if (GONE_EVENTS.has(event)) this.forget(key);
    else this.unsure.add(key);
  }
}

const STREAM_EVENTS = new Set(["xadd", "xgroup-create", "xsetid"]);
const GONE_EVENTS = new Set(["del", "expired", "evicted", "rename_from"]);
const UNSURE_EVENTS = ["rename_to", "copy_to", "restore"];

/**
 * The key events worth following under these `notify-keyspace-events` flags: none without `E`
 * (key-event channels); the stream ones with `t`, deletions and renames with `g`, expiries with
 * `x`, evictions with `e` (`A` is all of them).
 */
export function keyEvents(flags: string): string[] {
  if (!flags.includes("E")) return [];
  const all = flags.includes("A");
  const has = (c: string) => all || flags.includes(c);
  const events: string[] = [];
  if (has("t")) events.push(...STREAM_EVENTS);
  if (has("g")) events.push("del", "rename_from", ...UNSURE_EVENTS);
  if (has("x")) events.push("expired");
  if (has("e")) events.push("evicted");
  return events;
}

const indexes = processState("stream-index", () => new Map<RedisConnection, StreamIndex>());

/** This process's index of the streams behind `redis` (created on first use, walking from then on). */
export function streamIndexFor(redis: RedisConnection): StreamIndex {
  const registry = indexes.value;
  let index = registry.get(redis);
  if (!index) {
    const created: StreamIndex = new StreamIndex(redis, {
      isCurrent: () => indexes.value.get(redis) === created,
      onStop: () => {
        if (indexes.value.get(redis) === created) indexes.value.delete(redis);
      },
    });
    index = created;
    registry.set(redis, index);
  }
  return index;
}
