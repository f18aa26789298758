import "server-only";
import Redis, { type RedisOptions } from "ioredis";
import type { ClusterNodeHealth, ReplicaHealth, SentinelHealth } from "@/lib/contract/common";
import type { SentinelTarget } from "@/lib/env";

/**
 * A Redis Cluster's nodes as one node sees them: `CLUSTER SHARDS` (Redis 7.0+, Valkey) when the
 * server answers it, else `CLUSTER NODES`. Parsing is pure so tests call it on recorded replies.
 * `reachable` is the cluster's own view (health `online`; for CLUSTER NODES: link connected and
 * not flagged `fail`/`fail?`), ordered by address.
 */
export async function clusterNodes(seed: Redis): Promise<ClusterNodeHealth[]> {
  let shards: unknown;
  try {
    shards = await seed.call("CLUSTER", "SHARDS");
  } catch (err) {
    if (!(err instanceof Error) || !/unknown (sub)?command|syntax error/i.test(err.message)) throw err;
    return byAddress(parseClusterNodes(String(await seed.call("CLUSTER", "NODES"))));
  }
  return byAddress(parseClusterShards(shards));
}

function byAddress(nodes: ClusterNodeHealth[]): ClusterNodeHealth[] {
  return nodes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** A RESP2 map (flat key/value array) or a RESP3 map, as a record. */
function asRecord(reply: unknown): Record<string, unknown> {
  if (reply instanceof Map) return Object.fromEntries(reply);
  const out: Record<string, unknown> = {};
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

function slotPairs(flat: unknown): [number, number][] {
  const out: [number, number][] = [];
  if (!Array.isArray(flat)) return out;
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([Number(flat[i]), Number(flat[i + 1])]);
  return out;
}

export function parseClusterShards(reply: unknown): ClusterNodeHealth[] {
  const out: ClusterNodeHealth[] = [];
  if (!Array.isArray(reply)) return out;
  for (const shard of reply) {
    const s = asRecord(shard);
    const slots = slotPairs(s.slots);
    for (const raw of Array.isArray(s.nodes) ? s.nodes : []) {
      const n = asRecord(raw);
      const host = String(n.ip ?? n.endpoint ?? "");
      const role = n.role === "master" ? "master" : "replica";
      out.push({
        id: String(n.id ?? ""),
        address: `${host}:${Number(n.port ?? n["tls-port"])}`,
        role,
        slots: role === "master" ? slots : [],
        reachable: n.health === "online",
      });
    }
  }
  return out;
}

export function parseClusterNodes(text: string): ClusterNodeHealth[] {
  const out: ClusterNodeHealth[] = [];
  for (const line of text.split(/\r?\n/)) {
    const [id, addr, flagText, , , , , link, ...slotFields] = line.trim().split(" ");
    if (!id || !addr || !flagText) continue;
    const flags = flagText.split(",");
    const slots: [number, number][] = [];
    for (const f of slotFields) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(f);
      if (m) slots.push([Number(m[1]), Number(m[2] ?? m[1])]);
    }
    out.push({
      id,
      address: addr.split("@")[0]!,
      role: flags.includes("master") ? "master" : "replica",
      slots,
      reachable: link === "connected" && !flags.includes("fail") && !flags.includes("fail?"),
    });
  }
  return out;
}

/** The replicas of `master` and how far behind each is, from its `INFO replication`. */
export async function replicasOf(master: Redis, masterAddress: string): Promise<ReplicaHealth[]> {
  return parseReplication(await master.info("replication"), masterAddress);
}

export function parseReplication(text: string, masterAddress: string): ReplicaHealth[] {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const offset = Number(fields.get("master_repl_offset") ?? 0);
  const out: ReplicaHealth[] = [];
  for (const [name, value] of fields) {
    if (!/^slave\d+$/.test(name)) continue;
    const f = Object.fromEntries(value.split(",").map((kv) => kv.split("=", 2) as [string, string]));
    out.push({
      address: `${f.ip ?? ""}:${f.port ?? ""}`,
      master: masterAddress,
      state: f.state ?? "unknown",
      lagBytes: Math.max(0, offset - Number(f.offset ?? 0)),
      lagSeconds: Number(f.lag ?? 0),
    });
  }
  return out;
}

/**
 * What the sentinels say: each one asked for the master's address (`SENTINEL
 * get-master-addr-by-name`) on a short-lived connection of its own, so a dead sentinel is listed
 * as unreachable within `timeoutMs` instead of holding the answer.
 */
export async function sentinelView(
  target: SentinelTarget,
  options: RedisOptions,
  timeoutMs = 1500,
): Promise<SentinelHealth> {
  const answers = await Promise.all(
    target.sentinels.map(async ({ host, port }) => {
      const client = new Redis({
        ...options,
        host,
        port,
        lazyConnect: true,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      });
      client.on("error", () => undefined);
      try {
        await client.connect();
        const reply = await client.call("SENTINEL", "get-master-addr-by-name", target.name);
        const master = Array.isArray(reply) && reply.length === 2 ? `${String(reply[0])}:${String(reply[1])}` : null;
        return { address: `${host}:${port}`, reachable: true, master };
      } catch {
        return { address: `${host}:${port}`, reachable: false, master: null };
      } finally {
        client.disconnect();
      }
    }),
  );
  return {
    name: target.name,
    master: answers.find((a) => a.master)?.master ?? null,
    sentinels: answers.map(({ address, reachable }) => ({ address, reachable })),
  };
}
